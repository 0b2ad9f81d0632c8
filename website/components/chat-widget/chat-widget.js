/* The council's web chat. Embedded with one tag:
 *   <script src=".../components/chat-widget/chat-widget.js" data-rasa-url="http://localhost:5005"
 *           data-exit-url="https://www.bbc.co.uk/weather" data-neutral-title="Council services" defer></script>
 * It loads its own style and the Exit this page component from beside itself. Everything the assistant sends is
 * inserted as text. The conversation id and transcript live only in this tab's sessionStorage, cleared on exit;
 * no cookies, no localStorage, no requests to anyone but the Rasa server.
 */
(function () {
  'use strict'

  const script = document.currentScript || document.querySelector('script[src$="chat-widget/chat-widget.js"]')
  const config = script.dataset
  const rasaUrl = (config.rasaUrl || '').replace(/\/+$/, '')
  const language = (document.documentElement.lang || 'en').toLowerCase()
  const exitUrl = script.getAttribute('data-exit-url-' + language) || config.exitUrl || 'https://www.bbc.co.uk/weather'
  const STORE = 'app-chat-widget'
  const MAX_LENGTH = 1000 // the web channel's limit
  const TEXT = {
    open: 'Chat with our online helper',
    title: 'Online helper',
    close: 'Close chat',
    introTitle: 'Before you start',
    introExit: 'To leave quickly, select "Exit this page", press the Shift key 3 times, or press Escape twice while you are in the chat. This deletes the conversation and opens a different website.',
    introHistory: 'Leaving does not erase your browsing history. If someone else uses this device, they could see that you visited this page. For ways to stay safer online, read:',
    introLinks: [
      ['Refuge: Secure your tech', 'https://refuge.org.uk/i-need-help-now/protect-yourself/secure-your-tech/'],
      ["Women's Aid: Cover your tracks online", 'https://www.womensaid.org.uk/information-support/what-is-domestic-abuse/cover-your-tracks-online/']
    ],
    newTab: ' (opens in new tab)',
    introDanger: 'If you are in danger now, call 999.',
    start: 'Start chat',
    log: 'Conversation',
    you: 'You said: ',
    helper: 'Helper said: ',
    label: 'Your message',
    send: 'Send',
    unavailable: 'Sorry, the chat is not working at the moment. If you are in danger now, call 999. If you cannot speak, cough or tap, then press 55 on a mobile when asked. The National Domestic Abuse Helpline is free and open 24 hours: 0808 2000 247.'
  }

  if (config.neutralTitle) document.title = config.neutralTitle

  function load () {
    try {
      return JSON.parse(sessionStorage.getItem(STORE)) || {}
    } catch (error) {
      return {}
    }
  }
  const state = load()
  let leaving = false // once the exit starts, a late reply must not write the conversation back
  function save () {
    if (leaving) return
    try {
      sessionStorage.setItem(STORE, JSON.stringify(state))
    } catch (error) {} // storage full or blocked: the chat still works, only not across pages
  }

  function newSender () {
    const bytes = crypto.getRandomValues(new Uint8Array(24))
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  }

  function element (tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = 'app-chat-widget__' + className
    if (text) node.textContent = text
    return node
  }

  function beside (path) {
    return new URL(path, script.src).href
  }

  function addStyle (path) {
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = beside(path)
    document.head.append(link)
  }

  function build (exitThisPage) {
    const root = element('div')
    root.className = 'app-chat-widget'
    const launcher = element('button', 'launcher', TEXT.open)
    launcher.type = 'button'
    launcher.setAttribute('aria-controls', 'app-chat-widget-panel')

    const panel = element('section', 'panel')
    panel.id = 'app-chat-widget-panel'
    panel.setAttribute('aria-labelledby', 'app-chat-widget-title')
    const header = element('div', 'header')
    const title = element('h2', 'title', TEXT.title)
    title.id = 'app-chat-widget-title'
    const close = element('button', 'close', TEXT.close)
    close.type = 'button'
    header.append(title, exitThisPage.button, close)

    const intro = element('div', 'intro')
    const links = element('ul', 'links')
    for (const [text, href] of TEXT.introLinks) {
      const link = element('a', 'link', text)
      link.href = href
      link.target = '_blank'
      link.rel = 'noopener noreferrer'
      link.append(TEXT.newTab)
      const item = element('li')
      item.append(link)
      links.append(item)
    }
    const start = element('button', 'button', TEXT.start)
    start.type = 'button'
    intro.append(element('h3', 'subtitle', TEXT.introTitle), element('p', 'text', TEXT.introExit),
      element('p', 'text', TEXT.introHistory), links, element('p', 'text', TEXT.introDanger), start)

    const log = element('div', 'log')
    log.setAttribute('role', 'log')
    log.setAttribute('aria-label', TEXT.log)
    log.tabIndex = 0

    const form = element('form', 'form')
    const input = element('textarea', 'input')
    input.id = 'app-chat-widget-input'
    input.rows = 2
    input.maxLength = MAX_LENGTH
    input.dir = 'auto'
    const label = element('label', 'label', TEXT.label)
    label.htmlFor = input.id
    const send = element('button', 'button', TEXT.send)
    send.type = 'submit'
    form.append(label, input, send)

    panel.append(header, intro, log, form)
    root.append(launcher, panel)
    document.body.append(root)
    exitThisPage.watchEscape(panel)
    return { root, launcher, panel, close, intro, start, log, form, input }
  }

  function showMessage (ui, entry) {
    const message = element('div', 'message app-chat-widget__message--' + entry.from)
    message.append(element('span', 'visually-hidden', entry.from === 'you' ? TEXT.you : TEXT.helper))
    const text = element('p', 'message-text', entry.text)
    text.dir = 'auto'
    message.append(text)
    if (entry.choices && entry.choices.length) {
      const choices = element('div', 'choices')
      for (const choice of entry.choices) {
        const button = element('button', 'choice', choice.title)
        button.type = 'button'
        button.dir = 'auto'
        button.addEventListener('click', () => ui.say(choice.payload, choice.title))
        choices.append(button)
      }
      message.append(choices)
    }
    ui.log.append(message)
    ui.log.scrollTop = ui.log.scrollHeight
  }

  function start (exitThisPage) {
    const ui = build(exitThisPage)
    let queue = Promise.resolve()

    function record (entry) {
      state.transcript = (state.transcript || []).concat([entry])
      save()
      showMessage(ui, entry)
    }

    function clearChoices () {
      for (const choices of ui.log.querySelectorAll('.app-chat-widget__choices')) choices.remove()
      for (const entry of state.transcript || []) delete entry.choices
    }

    function post (message) {
      return fetch(rasaUrl + '/webhooks/web/webhook', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sender: state.sender, message }),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer'
      }).then((response) => {
        if (!response.ok) throw new Error('status ' + response.status)
        return response.json()
      })
    }

    function answer (replies) {
      if (!Array.isArray(replies) || !replies.length) throw new Error('no reply')
      if (replies.some((reply) => reply && reply.quick_exit)) return exitThisPage.exit()
      for (const reply of replies) {
        const choices = (reply.buttons || []).map((b) => ({ title: String(b.title), payload: String(b.payload) }))
        if (reply.text || choices.length) record({ from: 'helper', text: String(reply.text || ''), choices })
      }
    }

    // Messages go one at a time, so replies arrive in the order the person wrote.
    ui.say = function (message, shown) {
      clearChoices()
      if (shown) record({ from: 'you', text: shown })
      if (!ui.panel.contains(document.activeElement)) ui.input.focus() // the chosen button is gone
      queue = queue.then(() => post(message)).then(answer)
        .catch(() => record({ from: 'helper', text: TEXT.unavailable }))
    }

    function show () {
      ui.panel.hidden = !state.open
      ui.launcher.hidden = Boolean(state.open)
      ui.launcher.setAttribute('aria-expanded', String(Boolean(state.open)))
      ui.intro.hidden = Boolean(state.sender)
      ui.log.hidden = ui.form.hidden = !state.sender
    }

    function setOpen (open) {
      state.open = open
      save()
      show()
    }

    ui.launcher.addEventListener('click', () => {
      setOpen(true)
      ;(state.sender ? ui.input : ui.start).focus()
    })
    ui.close.addEventListener('click', () => {
      setOpen(false)
      ui.launcher.focus()
    })
    ui.start.addEventListener('click', () => {
      state.sender = newSender()
      setOpen(true)
      ui.input.focus()
      ui.say('/greet')
    })
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault()
      const text = ui.input.value.trim()
      if (!text) return
      ui.input.value = ''
      ui.say(text, text)
    })
    ui.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        ui.form.requestSubmit()
      }
    })

    for (const entry of state.transcript || []) showMessage(ui, entry)
    show() // nothing is stored until the person opens the chat
    return ui
  }

  addStyle('chat-widget.css')
  addStyle('../exit-this-page/exit-this-page.css')
  const exitScript = document.createElement('script')
  exitScript.src = beside('../exit-this-page/exit-this-page.js')
  exitScript.addEventListener('load', () => {
    let ui = null
    const exitThisPage = window.ExitThisPage({
      url: exitUrl,
      onExit () {
        leaving = true
        // Tell the server first: sendBeacon is delivered even as the page goes away.
        if (state.sender) navigator.sendBeacon(rasaUrl + '/webhooks/web/exit', JSON.stringify({ sender: state.sender }))
        try {
          sessionStorage.removeItem(STORE)
        } catch (error) {}
        if (ui) ui.root.replaceChildren()
      }
    })
    ui = start(exitThisPage)
  })
  document.head.append(exitScript)
})()
