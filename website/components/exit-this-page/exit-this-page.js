/* Exit this page, after GOV.UK Frontend's component, going further: one exit reached by a warning button, a
 * skip-link copy at the very top of the page, Shift pressed 3 times (anywhere on the page) and Escape pressed
 * twice (inside an area the page chooses). The exit hides everything at once, runs the page's clean-up, then
 * uses location.replace so Back cannot return here.
 *
 *   const exitThisPage = window.ExitThisPage({ url, onExit })
 *   panel.append(exitThisPage.button); exitThisPage.watchEscape(panel)
 */
(function () {
  'use strict'

  const TEXT = {
    hidden: 'Emergency',
    label: 'Exit this page',
    shift: ['Shift, press 2 more times to exit.', 'Shift, press 1 more time to exit.'],
    escape: ['Escape, press 1 more time to exit.'],
    expired: 'Exit this page expired.',
    loading: 'Loading.'
  }
  const WINDOW_MS = 5000 // each press restarts it, as on GOV.UK

  function element (tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text) node.textContent = text
    return node
  }

  function labelled (node) {
    node.append(element('span', 'app-exit-this-page__visually-hidden', TEXT.hidden + ' '), TEXT.label)
    return node
  }

  // Counts presses of one key: `needed` presses within WINDOW_MS of each other exit; anything else resets.
  function pressCounter (needed, messages, announce, onCount, done) {
    let count = 0
    let timer = null
    function reset () {
      clearTimeout(timer)
      timer = null
      count = 0
      onCount(0)
      announce(TEXT.expired)
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
        announce(messages[count - 1])
        timer = setTimeout(reset, WINDOW_MS)
      },
      other () {
        if (timer) reset()
      }
    }
  }

  window.ExitThisPage = function ExitThisPage ({ url, onExit }) {
    let exiting = false

    const status = element('span', 'app-exit-this-page__visually-hidden')
    status.setAttribute('role', 'status')
    const announce = (message) => { status.textContent = message }

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
      overlay.append(element('span', 'app-exit-this-page__visually-hidden', TEXT.loading))
      overlay.setAttribute('role', 'alert')
      document.body.append(overlay)
      try {
        if (onExit) onExit()
      } finally {
        performance.mark('exit-this-page:navigate')
        window.location.replace(url)
      }
    }

    const shift = pressCounter(3, TEXT.shift, announce, showPresses, exit)
    // As on GOV.UK: counted on keyup, and a Shift that was part of a shortcut (Shift+A) does not count.
    let lastKeyWasModified = false
    document.addEventListener('keyup', (event) => {
      if (event.key === 'Shift' && !lastKeyWasModified) shift.press()
      else shift.other()
      lastKeyWasModified = event.shiftKey
    })

    button.addEventListener('click', exit)
    skipLink.addEventListener('click', exit)
    document.body.prepend(skipLink)
    document.body.append(status)

    return {
      button,
      exit,
      watchEscape (area) {
        const escape = pressCounter(2, TEXT.escape, announce, () => {}, exit)
        area.addEventListener('keydown', (event) => {
          if (event.key === 'Escape') escape.press()
          else if (event.key !== 'Shift') escape.other()
        })
      }
    }
  }
})()
