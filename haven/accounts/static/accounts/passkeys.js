// Passkeys (WebAuthn) through SimpleWebAuthn's browser bundle (window.SimpleWebAuthnBrowser).
// A button with data-passkey="add" or "sign-in" runs the ceremony: it asks Haven for the
// options, lets the browser's authenticator answer, and sends the answer back.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "Haven could not do that. Try again.");
        return data;
      });
    });
  }

  function say(button, text) {
    var status = document.getElementById(button.dataset.status);
    if (status) {
      status.textContent = text;
      status.hidden = !text;
    }
  }

  function run(button) {
    var browser = window.SimpleWebAuthnBrowser;
    if (!browser || !browser.browserSupportsWebAuthn()) {
      say(button, "This browser cannot use passkeys. Use your authenticator app's code instead.");
      return;
    }
    var adding = button.dataset.passkey === "add";
    var nameInput = document.getElementById("passkey-name");
    button.disabled = true;
    say(button, "");
    post(button.dataset.optionsUrl)
      .then(function (options) {
        return adding
          ? browser.startRegistration({ optionsJSON: options })
          : browser.startAuthentication({ optionsJSON: options });
      })
      .then(function (credential) {
        return post(button.dataset.url, {
          credential: credential,
          name: nameInput ? nameInput.value : "",
          next: button.dataset.next || "",
        });
      })
      .then(function (data) {
        window.location.assign(data.redirect);
      })
      .catch(function (error) {
        var cancelled = error && error.name === "NotAllowedError";
        say(button, cancelled ? "The passkey was not used. Try again." : error.message);
        button.disabled = false;
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-passkey]");
    if (button) {
      event.preventDefault();
      run(button);
    }
  });
})();
