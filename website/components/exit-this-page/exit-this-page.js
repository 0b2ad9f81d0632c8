/* Exit this page, after GOV.UK Frontend's component, going further: one exit reached by a warning button, a
 * skip-link copy at the very top of the page, Shift pressed 3 times (anywhere on the page) and Escape pressed
 * twice (inside an area the page chooses). The exit hides everything at once, runs the page's clean-up, then
 * uses location.replace so Back cannot return here.
 *
 *   const exitThisPage = window.ExitThisPage({ url, onExit, words }) // words: English, as in texts/en.json `exit`
 *   panel.append(exitThisPage.button); exitThisPage.watchEscape(panel)
 *   exitThisPage.translate({ label: 'Wyjdź z tej strony', ... }, 'pl', 'ltr') // words missing stay English
 */
(function () {
  'use strict'

  const WINDOW_MS = 5000 // each press restarts it, as on GOV.UK

  function element (tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text) node.textContent = text
    return node
  }

  // A hidden "Emergency " and the label, as the first two children, so translate() can replace them.
  function labelled (node) {
    node.append(element('span', 'app-exit-this-page__visually-hidden'), document.createTextNode(''))
    return node
  }

  // Counts presses of one key: `needed` presses within WINDOW_MS of each other exit; anything else resets.
  // announce(count) after each press that does not exit yet, announce(0) when the count expires.
  function pressCounter (needed, announce, onCount, done) {
    let count = 0
    let timer = null
    function reset () {
      clearTimeout(timer)
      timer = null
      count = 0
      onCount(0)
      announce(0)
    }
    return {
      press () {
        clearTimeout(timer)
        count += 1
        onCount(count)
        if (count >= needed) {
          timer = null
          count = 0
          done()
          return
        }
        announce(count)
        timer = setTimeout(reset, WINDOW_MS)
      },
      other () {
        if (timer) reset()
      }
    }
  }

  window.ExitThisPage = function ExitThisPage ({ url, onExit, words: english }) {
    let exiting = false
    let words = english

    const status = element('span', 'app-exit-this-page__visually-hidden')
    status.setAttribute('role', 'status')
    const announce = (message) => { status.textContent = message }
    const announcePresses = (key) => (count) => announce(count ? words[key][count - 1] : words.expired)

    const button = labelled(element('button', 'app-exit-this-page__button'))
    button.type = 'button'
    const lights = element('span', 'app-exit-this-page__indicator')
    lights.setAttribute('aria-hidden', 'true')
    for (let i = 0; i < 3; i += 1) lights.append(element('span', 'app-exit-this-page__light'))
    button.append(lights)
    const showPresses = (count) => {
      lights.childNodes.forEach((light, i) => light.classList.toggle('app-exit-this-page__light--on', i < count))
    }

    const skipLink = labelled(element('a', 'app-exit-this-page__skiplink'))
    skipLink.href = url
    skipLink.rel = 'nofollow noreferrer'

    function exit (event) {
      if (event) event.preventDefault()
      if (exiting) return
      exiting = true
      document.documentElement.classList.add('app-exit-this-page--exiting')
      for (const child of document.body.children) child.style.setProperty('display', 'none', 'important')
      const overlay = element('div', 'app-exit-this-page__overlay')
      overlay.lang = status.lang
      overlay.dir = status.dir
      overlay.append(element('span', 'app-exit-this-page__visually-hidden', words.loading))
      overlay.setAttribute('role', 'alert')
      document.body.append(overlay)
      try {
        if (onExit) onExit()
      } finally {
        performance.mark('exit-this-page:navigate')
        window.location.replace(url)
      }
    }

    const shift = pressCounter(3, announcePresses('shift'), showPresses, exit)
    // As on GOV.UK: counted on keyup, and a Shift that was part of a shortcut (Shift+A) does not count.
    let lastKeyWasModified = false
    document.addEventListener('keyup', (event) => {
      if (event.key === 'Shift' && !lastKeyWasModified) shift.press()
      else shift.other()
      lastKeyWasModified = event.shiftKey
    })

    // The words, and the language and direction they are in, so screen readers pronounce them right.
    function translate (translated, language, direction) {
      words = Object.assign({}, english, translated)
      for (const node of [button, skipLink, status]) {
        node.lang = language
        node.dir = direction
      }
      for (const node of [button, skipLink]) {
        node.firstChild.textContent = words.hidden + ' '
        node.firstChild.nextSibling.textContent = words.label
      }
    }
    translate({}, 'en', 'ltr')

    button.addEventListener('click', exit)
    skipLink.addEventListener('click', exit)
    document.body.prepend(skipLink)
    document.body.append(status)

    return {
      button,
      exit,
      translate,
      watchEscape (area) {
        const escape = pressCounter(2, announcePresses('escape'), () => {}, exit)
        area.addEventListener('keydown', (event) => {
          if (event.key === 'Escape') escape.press()
          else if (event.key !== 'Shift') escape.other()
        })
      }
    }
  }
})()
