// The app / hall-PC chat page: Rasa's socket.io protocol (session_request → session_confirm,
// user_uttered → bot_uttered). Everything from the bot is put into the page as text nodes and
// <a> elements built here, never as HTML.
(function () {
  "use strict";

  var SESSION_KEY = "zwdb.webchat.session";
  var REPLY_TIMEOUT_MS = 20000;
  var URL_RE = /https?:\/\/[^\s<>"'，。；！？、）】》]+/g;

  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var send = document.getElementById("send");
  var typing = document.getElementById("typing");
  var offline = document.getElementById("offline");
  var DESK = document.body.dataset.desk;
  var HOTLINE = document.body.dataset.hotline;

  var sessionId = null;
  var replyTimer = null;

  function storedSession() {
    try { return window.localStorage.getItem(SESSION_KEY); } catch (e) { return null; }
  }

  function storeSession(id) {
    try { window.localStorage.setItem(SESSION_KEY, id); } catch (e) { /* private mode: the tab keeps it */ }
  }

  // Text with its newlines kept (CSS pre-wrap) and http(s) URLs as links.
  function richText(parent, text) {
    var last = 0;
    text.replace(URL_RE, function (url, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(link(url, url));
      last = offset + url.length;
      return url;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = /^https?:\/\//.test(href) ? href : "#";
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = label;
    return a;
  }

  // After a whole reply is in the page (a card gets its links after it is added), and again once
  // laid out: else a notice card's buttons stay half hidden under the input box.
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
    window.requestAnimationFrame(function () { log.scrollTop = log.scrollHeight; });
  }

  function addMessage(kind, text) {
    var row = document.createElement("div");
    row.className = "msg " + kind;
    var bubble = document.createElement("p");
    bubble.className = "bubble";
    if (kind === "user") {
      bubble.textContent = text;
    } else {
      richText(bubble, text);
    }
    row.appendChild(bubble);
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
    return row;
  }

  function addChoices(row, choices) {
    var group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "请选择一项");
    choices.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        if (!ask(choice.payload, choice.title)) return;
        group.dataset.answered = "true";
        group.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        button.setAttribute("aria-pressed", "true");
        input.focus();
      });
      group.appendChild(button);
    });
    row.appendChild(group);
    log.scrollTop = log.scrollHeight;
  }

  function card(title) {
    var row = document.createElement("div");
    row.className = "msg bot";
    var box = document.createElement("section");
    box.className = "card";
    var heading = document.createElement("h2");
    heading.textContent = title;
    box.appendChild(heading);
    row.appendChild(box);
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
    return box;
  }

  function showNotice(notice) {
    var box = card("一次性告知单" + (notice.number ? "（编号 " + notice.number + "）" : ""));
    var links = document.createElement("div");
    links.className = "links";
    if (notice.url) links.appendChild(link(notice.url, "查看并打印告知单"));
    if (notice.pdf_url) links.appendChild(link(notice.pdf_url, "下载PDF"));
    box.appendChild(links);
  }

  function showGuide(guide) {
    var route = (guide.bridge && guide.bridge.route) || {};
    var place = (guide.bridge && guide.bridge.destination) || {};
    var box = card("路线" + (place.name ? "：" + place.name : ""));
    if (route.summary) {
      var summary = document.createElement("p");
      summary.textContent = route.summary;
      box.appendChild(summary);
    }
    if (Array.isArray(route.steps) && route.steps.length) {
      var steps = document.createElement("ol");
      route.steps.forEach(function (step) {
        var item = document.createElement("li");
        item.textContent = String(step);
        steps.appendChild(item);
      });
      box.appendChild(steps);
    }
  }

  function showCustom(custom) {
    if (custom.notice) showNotice(custom.notice);
    if (custom.guide) showGuide(custom.guide);
    if (custom.handoff) {
      var to = custom.handoff.to || "工作人员";
      addMessage("note", "已转人工：" + to + "的工作人员会跟进您的问题。");
    }
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    replyArrived();
    var row = null;
    if (typeof message.text === "string" && message.text) row = addMessage("bot", message.text);
    var choices = message.quick_replies || message.buttons;
    if (Array.isArray(choices) && choices.length) {
      addChoices(row || addMessage("bot", "请选择："), choices.filter(function (c) { return c && c.title; }));
    }
    if (message.custom && typeof message.custom === "object") showCustom(message.custom);
    if (message.attachment && message.attachment.payload && message.attachment.payload.src) {
      var r = addMessage("bot", "");
      r.querySelector(".bubble").appendChild(link(message.attachment.payload.src, "查看附件"));
    }
    scrollToEnd();
  }

  function replyArrived() {
    clearTimeout(replyTimer);
    replyTimer = null;
    typing.hidden = true;
  }

  function waitForReply() {
    typing.hidden = false;
    clearTimeout(replyTimer);
    replyTimer = setTimeout(function () {
      typing.hidden = true;
      addMessage("note", "暂时没有收到回复，请稍后再问一次；也可以到" + DESK + "当面咨询，或拨打" + HOTLINE + "热线。");
    }, REPLY_TIMEOUT_MS);
  }

  function setOnline(online) {
    offline.hidden = online;
    send.disabled = !online || !input.value.trim();
    log.querySelectorAll(".choices:not([data-answered]) button").forEach(function (b) { b.disabled = !online; });
  }

  // Sends one user turn; `shown` is what the user sees as their message (a button's title).
  function ask(message, shown) {
    if (!socket.connected || !sessionId) return false;
    addMessage("user", shown || message);
    socket.emit("user_uttered", { message: message, session_id: sessionId, rich_cards: true });
    waitForReply();
    return true;
  }

  // long-polling first, then the upgrade to a WebSocket: works behind proxies that block WebSockets
  var socket = io({ path: "/socket.io" });

  socket.on("connect", function () {
    socket.emit("session_request", { session_id: sessionId || storedSession() });
  });

  socket.on("session_confirm", function (id) {
    sessionId = typeof id === "string" ? id : (id && id.session_id);
    if (sessionId) storeSession(sessionId);
    setOnline(true);
  });

  socket.on("bot_uttered", onBotMessage);

  socket.on("disconnect", function () {
    setOnline(false);
    replyArrived();
  });

  socket.on("connect_error", function () { setOnline(false); });

  input.addEventListener("input", function () {
    send.disabled = !socket.connected || !input.value.trim();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !ask(text)) return;
    input.value = "";
    send.disabled = true;
  });
})();
