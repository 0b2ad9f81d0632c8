/* The council's web chat. Embedded with one tag:
 *   <script src=".../components/chat-widget/chat-widget.js" data-rasa-url="http://localhost:5005"
 *           data-exit-url="https://www.bbc.co.uk/weather" data-neutral-title="Council services" defer></script>
 * It loads its own style and the Exit this page component from beside itself. Everything the assistant sends is
 * inserted as text. The conversation id and transcript live only in this tab's sessionStorage, cleared on exit;
 * no cookies, no localStorage, no requests to anyone but the Rasa server and the widget's own host.
 * Its words start in the page's language (<html lang>) and follow the conversation's, as each reply says. They are
 * in texts/<language>.json beside it (the Exit this page component's under `exit`), the files the tests and the
 * translations report read too: English first, as every other language falls back to it, and each other language
 * only when it is needed. If not even English can be fetched, nothing is added: the page carries 999 itself.
 */
(function () {
  'use strict'

  const script = document.currentScript || document.querySelector('script[src$="chat-widget/chat-widget.js"]')
  const config = script.dataset
  const rasaUrl = (config.rasaUrl || '').replace(/\/+$/, '')
  const pageLanguage = (document.documentElement.lang || 'en').toLowerCase()
  const exitUrl = script.getAttribute('data-exit-url-' + pageLanguage) || config.exitUrl ||
    'https://www.bbc.co.uk/weather'
  const STORE = 'app-chat-widget'
  const MAX_LENGTH = 1000 // the web channel's limit
  const LANGUAGES = ['en', 'pl', 'ur', 'pa', 'ro', 'pt', 'ar', 'bn']
  const RIGHT_TO_LEFT = ['ur', 'ar']
  const LINKS = { // English pages in every language
    linkTech: 'https://refuge.org.uk/i-need-help-now/protect-yourself/secure-your-tech/',
    linkTracks: 'https://www.womensaid.org.uk/information-support/what-is-domestic-abuse/cover-your-tracks-online/'
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

  // A reply's words as nodes: in Urdu and Arabic it is laid out right to left whatever its first word, and each run
  // of Latin letters and digits ("Clare's Law", "0808 2000 247") is isolated so it keeps its own order inside.
  const LATIN_RUN = /[A-Za-z0-9][A-Za-z0-9 '’&.,:/+-]*[A-Za-z0-9]|[A-Za-z0-9]/g
  function wordsOf (node, text, language) {
    if (!RIGHT_TO_LEFT.includes(language)) {
      node.dir = 'auto'
      node.textContent = text
      return node
    }
    node.dir = 'rtl'
    let from = 0
    for (const run of text.matchAll(LATIN_RUN)) {
      node.append(text.slice(from, run.index), element('bdi', '', run[0]))
      from = run.index + run[0].length
    }
    node.append(text.slice(from))
    return node
  }

  function beside (path) {
    return new URL(path, script.src).href
  }

  // 'pl' or 'pl-PL' -> 'pl'; a language we have no words for -> null
  function ours (tag) {
    const language = String(tag || '').toLowerCase().split('-')[0]
    return LANGUAGES.includes(language) ? language : null
  }

  function fetchWords (language) {
    const options = { credentials: 'omit', referrerPolicy: 'no-referrer' }
    return fetch(beside('texts/' + language + '.json'), options).then((response) => {
      if (!response.ok) throw new Error('status ' + response.status)
      return response.json()
    })
  }

  const loading = {}
  // The words in `language` (English where a translation lacks one), or null if they could not be fetched.
  function wordsIn (language) {
    if (!loading[language]) {
      const english = language === 'en' ? Promise.resolve({ exit: {} }) : wordsIn('en')
      loading[language] = Promise.all([english, fetchWords(language)])
        .then(([base, words]) => Object.assign({}, base, words, { exit: Object.assign({}, base.exit, words.exit) }))
        .catch(() => {
          delete loading[language] // the next change to that language tries again
          return null
        })
    }
    return loading[language]
  }
  const firstLanguage = ours(state.language) || ours(pageLanguage) || 'en'
  wordsIn(firstLanguage) // fetched while the Exit this page component loads

  // Every labelled node in the words of `language`, with its lang and dir, so screen readers pronounce it right.
  function translate (ui, words, language) {
    const direction = RIGHT_TO_LEFT.includes(language) ? 'rtl' : 'ltr'
    ui.words = words
    ui.root.lang = language
    ui.root.dir = direction
    for (const [node, key] of ui.worded) node.textContent = words[key]
    ui.log.setAttribute('aria-label', words.log)
    ui.exitThisPage.translate(words.exit, language, direction)
  }

  function addStyle (path) {
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = beside(path)
    document.head.append(link)
  }

  function build (exitThisPage, english) {
    const worded = [] // [node, key of its words]
    function labelled (tag, className, key) { // its words come with translate()
      const node = element(tag, className)
      worded.push([node, key])
      return node
    }
    const root = element('div')
    root.className = 'app-chat-widget'
    const launcher = labelled('button', 'launcher', 'open')
    launcher.type = 'button'
    launcher.setAttribute('aria-controls', 'app-chat-widget-panel')

    const panel = element('section', 'panel')
    panel.id = 'app-chat-widget-panel'
    panel.setAttribute('aria-labelledby', 'app-chat-widget-title')
    const header = element('div', 'header')
    const title = labelled('h2', 'title', 'title')
    title.id = 'app-chat-widget-title'
    const close = labelled('button', 'close', 'close')
    close.type = 'button'
    header.append(title, exitThisPage.button, close)

    const intro = element('div', 'intro')
    const links = element('ul', 'links')
    for (const [key, href] of Object.entries(LINKS)) {
      const link = labelled('a', 'link', key)
      link.href = href
      link.hreflang = 'en'
      link.target = '_blank'
      link.rel = 'noopener noreferrer'
      const item = element('li')
      item.append(link)
      links.append(item)
    }
    const start = labelled('button', 'button', 'start')
    start.type = 'button'
    intro.append(labelled('h3', 'subtitle', 'introTitle'), labelled('p', 'text', 'introExit'),
      labelled('p', 'text', 'introHistory'), links, labelled('p', 'text', 'introDanger'), start)

    const log = element('div', 'log')
    log.setAttribute('role', 'log')
    log.tabIndex = 0

    const form = element('form', 'form')
    const input = element('textarea', 'input')
    input.id = 'app-chat-widget-input'
    input.rows = 2
    input.maxLength = MAX_LENGTH
    input.dir = 'auto'
    const label = labelled('label', 'label', 'label')
    label.htmlFor = input.id
    const send = labelled('button', 'button', 'send')
    send.type = 'submit'
    form.append(label, input, send)

    panel.append(header, intro, log, form)
    root.append(launcher, panel)
    document.body.append(root)
    exitThisPage.watchEscape(panel)
    const ui = { root, launcher, panel, close, intro, start, log, form, input, worded, exitThisPage }
    translate(ui, english, 'en')
    return ui
  }

  function showMessage (ui, entry) {
    const message = element('div', 'message app-chat-widget__message--' + entry.from)
    const who = entry.from === 'you' ? 'you' : 'helper'
    const said = element('span', 'visually-hidden', ui.words[who])
    ui.worded.push([said, who])
    message.append(said)
    const text = wordsOf(element('p', 'message-text'), entry.text, entry.language) // yours: no language, dir auto
    if (entry.language) text.lang = entry.language
    message.append(text)
    if (entry.choices && entry.choices.length) {
      const choices = element('div', 'choices')
      if (entry.language) choices.lang = entry.language
      for (const choice of entry.choices) {
        const button = wordsOf(element('button', 'choice'), choice.title, entry.language)
        button.type = 'button'
        button.addEventListener('click', () => ui.say(choice.payload, choice.title))
        choices.append(button)
      }
      message.append(choices)
    }
    ui.log.append(message)
    ui.log.scrollTop = ui.log.scrollHeight
  }

  function start (exitThisPage, english) {
    const ui = build(exitThisPage, english)
    let queue = Promise.resolve()
    let wanted = null // the language the words should be in, once fetched

    function speak (language) {
      wanted = language
      wordsIn(language).then((words) => {
        if (words && language === wanted) translate(ui, words, language)
      })
    }

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
      const said = replies.map((reply) => ours(reply.language)) // null where a reply does not say
      const language = said.filter(Boolean).pop() || wanted
      state.language = language // so the next page of the site starts in it
      save()
      replies.forEach((reply, index) => {
        const choices = (reply.buttons || []).map((b) => ({ title: String(b.title), payload: String(b.payload) }))
        const entry = { from: 'helper', text: String(reply.text || ''), choices, language: said[index] || language }
        if (reply.text || choices.length) record(entry)
      })
      if (language !== wanted) speak(language)
    }

    // Messages go one at a time, so replies arrive in the order the person wrote.
    ui.say = function (message, shown) {
      clearChoices()
      if (shown) record({ from: 'you', text: shown })
      if (!ui.panel.contains(document.activeElement)) ui.input.focus() // the chosen button is gone
      queue = queue.then(() => post(message)).then(answer)
        .catch(() => record({ from: 'helper', text: ui.words.unavailable, language: ui.root.lang }))
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
      ui.say(wanted === 'en' ? '/greet' : '/greet' + JSON.stringify({ language: wanted })) // greeted in it too
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
    speak(firstLanguage)
    show() // nothing is stored until the person opens the chat
    return ui
  }

  addStyle('chat-widget.css')
  addStyle('../exit-this-page/exit-this-page.css')
  const exitScript = document.createElement('script')
  exitScript.src = beside('../exit-this-page/exit-this-page.js')
  const exitLoaded = new Promise((resolve) => exitScript.addEventListener('load', resolve))
  Promise.all([wordsIn('en'), exitLoaded]).then(([english]) => {
    if (!english) return
    let ui = null
    const exitThisPage = window.ExitThisPage({
      url: exitUrl,
      words: english.exit,
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
    ui = start(exitThisPage, english)
  })
  document.head.append(exitScript)
})()
