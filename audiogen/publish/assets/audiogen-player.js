/*
 * audiogen-player: the web player for audiogen episodes, as one custom element.
 *
 *   <script src="https://example.com/podcast/player/audiogen-player.js" defer></script>
 *   <audiogen-player src="https://example.com/podcast/episodes/my-article.mp3"
 *                    episode-title="My article"></audiogen-player>
 *
 * Attributes
 *   src            the MP3 (required)
 *   chapters       Podcasting 2.0 JSON chapters; default: beside src as <name>.chapters.json
 *   transcript     WebVTT transcript; default: beside src as <name>.vtt
 *                  ("none" turns either off); when its cues name more than one speaker in
 *                  voice spans (<v Narrator>, <v Quote>), sentences in a voice other than the
 *                  narration's (quoted speech) are set apart, their speaker named to screen readers;
 *                  when its cues carry timestamp tags before their words (<00:00:01.250>), the
 *                  word being said is highlighted too, and a click on a word plays from it
 *   episode-title  shown as the heading (not "title", which would be a tooltip on everything)
 *   show-title     shown above it
 *   artwork        cover image URL
 *   duration       length in seconds, shown before the audio has loaded
 *   theme          "light" or "dark"; by default the reader's system setting decides
 *
 * Styles come from audiogen-player.css next to this script, loaded into the shadow root, and are
 * themed with --ag-* custom properties set on the element or any ancestor.
 * Chapters and transcript are fetched with CORS when they live on another origin; the audio
 * itself is not, so any static host can serve the MP3.
 *
 * Text from articles (titles, chapter titles, transcript lines) is only ever set as textContent.
 */
(() => {
  "use strict";

  const TAG = "audiogen-player";
  if (!window.customElements || window.customElements.get(TAG)) return;

  const script =
    document.currentScript || document.querySelector('script[src*="audiogen-player.js"]');
  const STYLES_URL = new URL(
    "audiogen-player.css",
    script && script.src ? script.src : document.baseURI,
  ).href;

  const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
  const SKIP_BACK = 15;
  const SKIP_FORWARD = 30;
  const ARROW_STEP = 5;
  const SAVE_EVERY_MS = 2000;
  // Resuming a few seconds in, or a few seconds before the end, helps nobody.
  const RESUME_MIN = 5;
  const RESUME_TAIL = 10;
  // After the reader scrolls the transcript, leave it where they put it for a while.
  const MANUAL_SCROLL_PAUSE_MS = 5000;
  // A pause this long between cues is a paragraph break (sentences are ~0.3 s apart).
  const PARAGRAPH_GAP = 0.5;
  const STORAGE_PREFIX = "audiogen-player:position:";
  const PLAY_EVENT = "audiogen-player:play";

  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    play: [
      [
        "path",
        { d: "M8 5.7v12.6c0 .8.9 1.3 1.6.9l10-6.3a1.1 1.1 0 0 0 0-1.8l-10-6.3C8.9 4.4 8 4.9 8 5.7z" },
      ],
    ],
    pause: [
      ["rect", { x: 6, y: 5, width: 4.2, height: 14, rx: 1.3 }],
      ["rect", { x: 13.8, y: 5, width: 4.2, height: 14, rx: 1.3 }],
    ],
    back: [
      ["path", { class: "stroke", d: "M4.2 13.5a7.8 7.8 0 1 0 7.8-7.8H8.5" }],
      ["path", { class: "stroke", d: "M10.8 3.2 8.3 5.7l2.5 2.5" }],
      ["text", { x: 12, y: 13.9 }, String(SKIP_BACK)],
    ],
    forward: [
      ["path", { class: "stroke", d: "M19.8 13.5A7.8 7.8 0 1 1 12 5.7h3.5" }],
      ["path", { class: "stroke", d: "M13.2 3.2l2.5 2.5-2.5 2.5" }],
      ["text", { x: 12, y: 13.9 }, String(SKIP_FORWARD)],
    ],
    download: [["path", { class: "stroke", d: "M12 4.5v10.5M7.5 10.5 12 15l4.5-4.5M5.5 19.5h13" }]],
  };

  /* ---------- small pure helpers (exposed as AudiogenPlayer.parseVtt etc. for tests) ---------- */

  /** "m:ss", or "h:mm:ss" from an hour on; "--:--" when unknown. */
  function formatTime(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
    const total = Math.floor(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  /** A time as words, for screen readers: "1 minute 5 seconds". */
  function spokenTime(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return "unknown";
    const total = Math.floor(seconds);
    const parts = [];
    const units = [
      [Math.floor(total / 3600), "hour"],
      [Math.floor((total % 3600) / 60), "minute"],
      [total % 60, "second"],
    ];
    for (const [n, unit] of units) if (n) parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
    return parts.length ? parts.join(" ") : "0 seconds";
  }

  /** WebVTT time stamp ("01:02:03.004" or "02:03.004") to seconds; NaN when malformed. */
  function parseTimestamp(text) {
    const m = /^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$/.exec(text.trim());
    if (!m) return NaN;
    return Number(m[1] || 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  }

  const ENTITIES = {
    amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", lrm: "\u200e", rlm: "\u200f",
  };

  /** Cue payload to plain text: markup tags dropped, character references decoded. */
  function cueText(raw) {
    return plainText(raw).trim();
  }

  /** cueText without the trimming: a piece of a payload keeps its edges' spaces. */
  function plainText(raw) {
    return raw
      .replace(/<[^>]*>/g, "")
      .replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name) => {
        if (name[0] === "#") {
          const hex = name[1] === "x" || name[1] === "X";
          const code = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
        const value = ENTITIES[name.toLowerCase()];
        return value === undefined ? whole : value;
      })
      .replace(/\s+/g, " ");
  }

  // A WebVTT timestamp tag inside a cue, captured without its brackets.
  const TIMESTAMP_TAG = /<((?:\d+:)?[0-5]\d:[0-5]\d\.\d{3})>/;

  /**
   * The words of a cue payload that has timestamp tags: [{start, text, space}], each piece
   * of text from one tag to the next (the first from the cue's start), `space` when a space
   * comes before it. null when it has none, or when they are not in order inside the cue.
   */
  function cueWords(raw, start, end) {
    const parts = raw.split(TIMESTAMP_TAG);
    if (parts.length < 2) return null;
    const words = [];
    let space = false;
    let at = start;
    for (let i = 0; i < parts.length; i += 2) {
      if (i > 0) {
        const next = parseTimestamp(parts[i - 1]);
        if (!(next >= at && next <= end)) return null;
        at = next;
      }
      const piece = plainText(parts[i]);
      const text = piece.trim();
      if (text) {
        words.push({ start: at, text, space: space || /^\s/.test(piece) });
        space = /\s$/.test(piece);
      } else if (piece) {
        space = true;
      }
    }
    return words.length ? words : null;
  }

  /** The speaker a cue payload names in its first voice span ("<v Quote>..." -> "Quote"), or "". */
  function cueVoice(raw) {
    const m = /<v(?:\.[^\s.>]+)*[ \t\n]+([^>]*)>/.exec(raw);
    return m ? cueText(m[1]) : "";
  }

  /**
   * WebVTT text to cues [{start, end, text}] sorted; header, NOTE and STYLE blocks skipped.
   * When the cues name more than one speaker in voice spans, each named cue also has `voice`;
   * a cue with timestamp tags before its words also has `words` (see cueWords).
   */
  function parseVtt(text) {
    const cues = [];
    const blocks = String(text).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
    for (const block of blocks) {
      const lines = block.split("\n");
      const at = lines.findIndex((line) => line.includes("-->"));
      if (at < 0 || /^(NOTE|STYLE|REGION)\b/.test(lines[0])) continue;
      const [from, rest] = lines[at].split("-->");
      const start = parseTimestamp(from);
      const end = parseTimestamp(rest.trim().split(/\s+/)[0] || "");
      if (!(end > start)) continue;
      const raw = lines.slice(at + 1).join("\n");
      const body = cueText(raw);
      if (!body) continue;
      const cue = { start, end, text: body, voice: cueVoice(raw) };
      const words = cueWords(raw, start, end);
      if (words) cue.words = words;
      cues.push(cue);
    }
    // One voice throughout is just the narration: nothing to tell apart.
    const voices = new Set(cues.map((cue) => cue.voice).filter(Boolean));
    for (const cue of cues) if (voices.size < 2 || !cue.voice) delete cue.voice;
    return cues.sort((a, b) => a.start - b.start);
  }

  /** The voice most cues are in: the narration, which other voices are set apart from. */
  function mainVoice(cues) {
    const counts = new Map();
    for (const cue of cues) if (cue.voice) counts.set(cue.voice, (counts.get(cue.voice) || 0) + 1);
    let best = "";
    for (const [voice, n] of counts) if (!best || n > counts.get(best)) best = voice;
    return best;
  }

  /**
   * A transcript sentence. A cue in a voice other than the narration's (quoted speech) is set
   * apart: styled by its voice, and its speaker said first to screen readers.
   */
  function cueNode(cue, i, narration) {
    const apart = Boolean(cue.voice) && cue.voice !== narration;
    const node = h("span", {
      class: apart ? "cue other-voice" : "cue",
      "data-index": i,
      "data-voice": cue.voice || null,
      tabindex: -1,
    });
    if (apart) node.append(h("span", { class: "voice-label", text: `${cue.voice}: ` }));
    if (!cue.words) {
      node.append(cue.text);
      return node;
    }
    // Word by word, for the highlight only: the same text, no role, nothing more to announce.
    cue.words.forEach((word, n) => {
      if (n > 0 && word.space) node.append(" ");
      node.append(h("span", { class: "word", "data-word": n, text: word.text }));
    });
    return node;
  }

  /** Podcasting 2.0 JSON chapters to [{start, title}] in time order; toc:false ones left out. */
  function parseChapters(data) {
    const list = data && Array.isArray(data.chapters) ? data.chapters : [];
    const chapters = list
      .filter((c) => c && Number.isFinite(c.startTime) && c.startTime >= 0 && c.toc !== false)
      .map((c) => ({
        start: c.startTime,
        title: typeof c.title === "string" ? c.title.replace(/\s+/g, " ").trim() : "",
      }))
      .sort((a, b) => a.start - b.start);
    chapters.forEach((c, i) => {
      if (!c.title) c.title = `Chapter ${i + 1}`;
    });
    return chapters;
  }

  /** Index of the last item starting at or before `time`, or -1 (items sorted by start). */
  function indexAt(items, time) {
    let lo = 0;
    let hi = items.length - 1;
    let found = -1;
    // A seek lands a hair before the exact cue time often enough to need some slack.
    const t = time + 0.005;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].start <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The URL of a companion file: "a/b.mp3" with suffix ".vtt" -> "a/b.vtt". */
  function besideAudio(src, suffix) {
    const url = new URL(src, document.baseURI);
    url.pathname = url.pathname.replace(/(\.[A-Za-z0-9]+)?$/, suffix);
    url.search = "";
    url.hash = "";
    return url.href;
  }

  const storage = {
    // Storage can be missing or throw (blocked cookies, sandboxed frames): then nothing is kept.
    get(key) {
      try {
        const value = Number(window.localStorage.getItem(STORAGE_PREFIX + key));
        return Number.isFinite(value) ? value : 0;
      } catch {
        return 0;
      }
    },
    set(key, seconds) {
      try {
        window.localStorage.setItem(STORAGE_PREFIX + key, seconds.toFixed(1));
      } catch {
        /* not kept */
      }
    },
    clear(key) {
      try {
        window.localStorage.removeItem(STORAGE_PREFIX + key);
      } catch {
        /* nothing kept */
      }
    },
  };

  /** An element with attributes; "text" sets textContent, never markup. */
  function h(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    }
    node.append(...children);
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", `icon icon-${name}`);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const [tag, attributes, text] of ICONS[name]) {
      const shape = document.createElementNS(SVG_NS, tag);
      for (const [key, value] of Object.entries(attributes)) shape.setAttribute(key, String(value));
      if (text) shape.textContent = text;
      svg.append(shape);
    }
    return svg;
  }

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  async function fetchText(url) {
    const response = await fetch(url, { credentials: "omit" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.text();
  }

  /* ---------------------------------- the element ---------------------------------- */

  class AudiogenPlayer extends HTMLElement {
    static get observedAttributes() {
      return [
        "src", "chapters", "transcript", "episode-title", "show-title", "artwork", "duration",
      ];
    }

    constructor() {
      super();
      this._chapters = [];
      this._cues = [];
      this._cueNodes = [];
      this._chapterNodes = [];
      this._currentCue = -1;
      this._currentWord = null;
      this._frame = 0;
      this._currentChapter = -1;
      this._lastSave = 0;
      this._userScrolledAt = 0;
      this._loadToken = 0;
      this._started = false;
      this._src = "";
      this._statusTimer = 0;
      this._tabChosen = false;
      this._selectedTab = null;
      this._resumed = false;
      this._onOtherPlay = (event) => {
        if (event.detail !== this && !this._audio.paused) this._audio.pause();
      };
      this._onPageHide = () => this._save();
      this._root = this.attachShadow({ mode: "open" });
      this._build();
    }

    /* Public API: the audio element, and the usual controls. */
    get audio() {
      return this._audio;
    }

    get currentTime() {
      return this._audio.currentTime;
    }

    set currentTime(seconds) {
      this.seek(seconds);
    }

    play() {
      const started = this._audio.play();
      if (started && started.catch) {
        started.catch((error) => {
          // AbortError only means a pause or a new source came first.
          if (error && error.name === "NotAllowedError") this._status("Press play to listen");
        });
      }
      return started;
    }

    pause() {
      this._audio.pause();
    }

    toggle() {
      if (this._audio.paused || this._audio.ended) this.play();
      else this.pause();
    }

    seek(seconds) {
      const duration = this._duration();
      let target = Math.max(0, Number(seconds) || 0);
      if (Number.isFinite(duration)) target = Math.min(target, duration);
      this._audio.currentTime = target;
      this._update();
    }

    connectedCallback() {
      document.addEventListener(PLAY_EVENT, this._onOtherPlay);
      window.addEventListener("pagehide", this._onPageHide);
      if (!this._started) {
        this._started = true;
        this._load();
      }
    }

    disconnectedCallback() {
      document.removeEventListener(PLAY_EVENT, this._onOtherPlay);
      window.removeEventListener("pagehide", this._onPageHide);
      this._save();
      this._audio.pause();
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (!this._started || oldValue === newValue) return;
      if (name === "src" || name === "chapters" || name === "transcript") this._load();
      else this._renderMeta();
    }

    /* ---------- building ---------- */

    _build() {
      const root = this._root;
      // Until the stylesheet arrives the player stays invisible rather than unstyled.
      const guard = h("style", { text: ":host{display:block}.player{visibility:hidden}" });
      const link = h("link", { rel: "stylesheet", href: STYLES_URL });
      link.addEventListener("error", () => guard.remove());

      this._audio = h("audio", { preload: "metadata" });

      this._art = h("img", { class: "art", alt: "", hidden: true, decoding: "async" });
      this._playButton = h("button", {
        type: "button",
        class: "play",
        "aria-label": "Play",
        "aria-keyshortcuts": "Space K",
      }, [icon("play"), icon("pause")]);
      this._showTitle = h("span", { class: "show" });
      this._length = h("span", { class: "length" });
      this._eyebrow = h("p", { class: "eyebrow" }, [this._showTitle, this._length]);
      this._title = h("p", { class: "title" });
      const head = h("div", { class: "head" }, [
        this._playButton,
        h("div", { class: "meta" }, [this._eyebrow, this._title]),
        this._art,
      ]);

      this._buffered = h("div", { class: "buffered" });
      this._fill = h("div", { class: "fill" });
      this._ticks = h("div", { class: "ticks" });
      this._seekBar = h("input", {
        type: "range",
        class: "seek",
        min: 0,
        max: 0,
        step: "any",
        value: 0,
        "aria-label": "Seek",
        "aria-valuetext": "0 seconds",
        "aria-keyshortcuts": "ArrowLeft ArrowRight Home End",
      });
      this._elapsed = h("span", { class: "elapsed", text: "0:00" });
      this._now = h("span", { class: "now" });
      this._total = h("span", { class: "total", text: "--:--" });
      const timeline = h("div", { class: "timeline" }, [
        h("div", { class: "bar" }, [
          h("div", { class: "track" }, [this._buffered, this._fill, this._ticks]),
          this._seekBar,
        ]),
        h("div", { class: "times" }, [this._elapsed, this._now, this._total]),
      ]);

      this._backButton = h("button", {
        type: "button",
        class: "icon-button",
        "aria-label": `Back ${SKIP_BACK} seconds`,
        title: `Back ${SKIP_BACK} seconds (J)`,
        "aria-keyshortcuts": "J",
      }, [icon("back")]);
      this._forwardButton = h("button", {
        type: "button",
        class: "icon-button",
        "aria-label": `Forward ${SKIP_FORWARD} seconds`,
        title: `Forward ${SKIP_FORWARD} seconds (L)`,
        "aria-keyshortcuts": "L",
      }, [icon("forward")]);
      this._speed = h(
        "select",
        { class: "speed", "aria-label": "Playback speed", title: "Playback speed" },
        SPEEDS.map((rate) => h("option", { value: rate, text: `${rate}×`, selected: rate === 1 })),
      );
      this._statusLine = h("span", { class: "status", role: "status", "aria-live": "polite" });
      this._download = h("a", {
        class: "icon-button",
        download: true,
        "aria-label": "Download MP3",
        title: "Download MP3",
      }, [icon("download")]);
      const controls = h("div", { class: "controls" }, [
        this._backButton,
        this._forwardButton,
        this._statusLine,
        this._speed,
        this._download,
      ]);

      this._transcriptTab = h("button", {
        type: "button",
        role: "tab",
        class: "tab",
        id: "tab-transcript",
        "aria-controls": "panel-transcript",
        text: "Transcript",
      });
      this._chapterCount = h("span", { class: "count" });
      this._chaptersTab = h("button", {
        type: "button",
        role: "tab",
        class: "tab",
        id: "tab-chapters",
        "aria-controls": "panel-chapters",
      }, ["Chapters", this._chapterCount]);
      this._tablist = h(
        "div",
        { class: "tabs", role: "tablist", "aria-label": "Episode details" },
        [this._transcriptTab, this._chaptersTab],
      );
      this._transcriptPanel = h("div", {
        class: "panel transcript",
        role: "tabpanel",
        id: "panel-transcript",
        "aria-labelledby": "tab-transcript",
      });
      this._chapterList = h("ol", { class: "chapters" });
      this._chaptersPanel = h("div", {
        class: "panel",
        role: "tabpanel",
        id: "panel-chapters",
        "aria-labelledby": "tab-chapters",
      }, [this._chapterList]);
      this._hint = h("span", {
        class: "hint",
        "aria-hidden": "true",
        text: "Click a sentence to play from there",
      });
      this._panels = h("div", { class: "panels", hidden: true }, [
        h("div", { class: "panel-head" }, [this._tablist, this._hint]),
        this._transcriptPanel,
        this._chaptersPanel,
      ]);

      this._player = h("div", { class: "player", role: "region", "aria-label": "Audio player" }, [
        this._audio,
        h("div", { class: "main" }, [head, timeline, controls]),
        this._panels,
      ]);
      root.append(guard, link, this._player);
      this._wire();
    }

    _wire() {
      const audio = this._audio;
      const update = () => this._update();
      audio.addEventListener("timeupdate", update);
      audio.addEventListener("seeked", () => {
        update();
        this._save();
      });
      audio.addEventListener("loadedmetadata", () => this._onMetadata());
      audio.addEventListener("durationchange", () => this._renderDuration());
      audio.addEventListener("progress", () => this._renderBuffered());
      audio.addEventListener("play", () => {
        document.dispatchEvent(new CustomEvent(PLAY_EVENT, { detail: this }));
        this._renderPlaying();
        this._mediaSession();
        this._follow();
      });
      audio.addEventListener("pause", () => {
        this._renderPlaying();
        this._save();
      });
      audio.addEventListener("ended", () => {
        this._renderPlaying();
        storage.clear(this._src);
      });
      audio.addEventListener("waiting", () => this._player.classList.add("is-waiting"));
      for (const type of ["playing", "canplay", "pause", "error"]) {
        audio.addEventListener(type, () => this._player.classList.remove("is-waiting"));
      }
      audio.addEventListener("ratechange", () => {
        this._speed.value = String(audio.playbackRate);
      });
      audio.addEventListener("error", () => {
        if (this._src) this._status("This episode could not be loaded", 0);
      });

      this._playButton.addEventListener("click", () => this.toggle());
      this._backButton.addEventListener("click", () => this._skip(-SKIP_BACK));
      this._forwardButton.addEventListener("click", () => this._skip(SKIP_FORWARD));
      this._speed.addEventListener("change", () => {
        const rate = Number(this._speed.value);
        audio.playbackRate = rate;
        audio.defaultPlaybackRate = rate;
      });
      this._seekBar.addEventListener("input", () => this.seek(Number(this._seekBar.value)));

      for (const tab of [this._transcriptTab, this._chaptersTab]) {
        tab.addEventListener("click", () => {
          this._tabChosen = true;
          this._selectTab(tab);
        });
      }
      this._tablist.addEventListener("keydown", (event) => this._onTabKey(event));
      this._chapterList.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-index]");
        if (button) this._jump(this._chapters[Number(button.dataset.index)].start);
      });
      this._transcriptPanel.addEventListener("click", (event) => {
        const cue = event.target.closest(".cue");
        if (!cue) return;
        const found = this._cues[Number(cue.dataset.index)];
        const word = event.target.closest(".word");
        this._jump(word && found.words ? found.words[Number(word.dataset.word)].start : found.start);
      });
      this._transcriptPanel.addEventListener("keydown", (event) => this._onCueKey(event));
      const scrolled = () => {
        this._userScrolledAt = Date.now();
      };
      for (const type of ["wheel", "touchmove"]) {
        this._transcriptPanel.addEventListener(type, scrolled, { passive: true });
      }
      this._player.addEventListener("keydown", (event) => this._onKey(event));
    }

    /* ---------- loading ---------- */

    _load() {
      const token = ++this._loadToken;
      const src = this.getAttribute("src");
      this._src = src ? new URL(src, document.baseURI).href : "";
      this._resumed = false;
      if (this._src) {
        this._audio.src = this._src;
        this._download.href = this._src;
      } else {
        this._audio.removeAttribute("src");
        this._download.removeAttribute("href");
        this._status("No audio: set the src attribute", 0);
      }
      this._renderMeta();
      this._setChapters([]);
      this._setCues([]);
      const chapters = this._companion("chapters", ".chapters.json");
      if (chapters) {
        fetchText(chapters)
          .then((text) => {
            if (token === this._loadToken) this._setChapters(parseChapters(JSON.parse(text)));
          })
          .catch(() => {
            /* no chapters: the list stays hidden */
          });
      }
      const transcript = this._companion("transcript", ".vtt");
      if (transcript) {
        fetchText(transcript)
          .then((text) => {
            if (token === this._loadToken) this._setCues(parseVtt(text));
          })
          .catch(() => {
            /* no transcript: the tab stays hidden */
          });
      }
    }

    _companion(attribute, suffix) {
      const value = this.getAttribute(attribute);
      if (value === "none") return "";
      if (value) return new URL(value, document.baseURI).href;
      return this._src ? besideAudio(this._src, suffix) : "";
    }

    _duration() {
      const d = this._audio.duration;
      if (Number.isFinite(d) && d > 0) return d;
      const hinted = Number(this.getAttribute("duration"));
      return Number.isFinite(hinted) && hinted > 0 ? hinted : NaN;
    }

    _onMetadata() {
      this._renderDuration();
      if (this._resumed) return;
      this._resumed = true;
      const saved = storage.get(this._src);
      const duration = this._duration();
      if (saved >= RESUME_MIN && (!Number.isFinite(duration) || saved < duration - RESUME_TAIL)) {
        this._audio.currentTime = saved;
        this._status(`Resuming at ${formatTime(saved)}`);
      }
      this._update();
    }

    _save() {
      if (!this._src || !this._audio.readyState) return;
      this._lastSave = Date.now();
      const t = this._audio.currentTime;
      const duration = this._duration();
      if (t < RESUME_MIN || (Number.isFinite(duration) && t >= duration - RESUME_TAIL)) {
        storage.clear(this._src);
      } else {
        storage.set(this._src, t);
      }
    }

    /* ---------- rendering ---------- */

    _renderMeta() {
      const title = this.getAttribute("episode-title") || "";
      const show = this.getAttribute("show-title") || "";
      this._title.textContent = title || "Listen to this article";
      this._showTitle.textContent = show;
      this._showTitle.hidden = !show;
      this._player.setAttribute("aria-label", title ? `Audio player: ${title}` : "Audio player");
      const artwork = this.getAttribute("artwork");
      if (artwork) {
        this._art.src = new URL(artwork, document.baseURI).href;
        this._art.hidden = false;
      } else {
        this._art.removeAttribute("src");
        this._art.hidden = true;
      }
      this._renderDuration();
    }

    _renderDuration() {
      const duration = this._duration();
      this._total.textContent = formatTime(duration);
      this._length.replaceChildren();
      if (Number.isFinite(duration)) {
        this._length.append(
          `${Math.max(1, Math.round(duration / 60))} min`,
          h("span", { class: "wide-only", text: " listen" }),
        );
      }
      this._seekBar.max = Number.isFinite(duration) ? String(duration) : "0";
      this._renderTicks();
      this._renderChapterTimes();
      this._update();
    }

    _renderBuffered() {
      const buffered = this._audio.buffered;
      const duration = this._duration();
      if (!buffered.length || !Number.isFinite(duration)) return;
      const end = buffered.end(buffered.length - 1);
      this._player.style.setProperty("--buffered", `${Math.min(100, (100 * end) / duration)}%`);
    }

    _renderPlaying() {
      const playing = !this._audio.paused && !this._audio.ended;
      this._player.classList.toggle("is-playing", playing);
      this._playButton.setAttribute("aria-label", playing ? "Pause" : "Play");
    }

    _update() {
      const t = this._audio.currentTime;
      const duration = this._duration();
      this._seekBar.value = String(t);
      this._seekBar.setAttribute(
        "aria-valuetext",
        `${spokenTime(t)} of ${spokenTime(duration)}`,
      );
      this._elapsed.textContent = formatTime(t);
      const percent = Number.isFinite(duration) ? Math.min(100, (100 * t) / duration) : 0;
      this._player.style.setProperty("--progress", `${percent}%`);
      this._highlight(t);
      if (!this._audio.paused && Date.now() - this._lastSave > SAVE_EVERY_MS) this._save();
    }

    _status(text, timeout = 4000) {
      window.clearTimeout(this._statusTimer);
      this._statusLine.textContent = text;
      if (timeout) {
        this._statusTimer = window.setTimeout(() => {
          this._statusLine.textContent = "";
        }, timeout);
      }
    }

    /* ---------- chapters ---------- */

    _setChapters(chapters) {
      this._chapters = chapters;
      this._currentChapter = -1;
      this._chapterNodes = chapters.map((chapter, i) => {
        const button = h("button", { type: "button", class: "chapter", "data-index": i }, [
          h("span", { class: "chapter-number", text: String(i + 1), "aria-hidden": "true" }),
          h("span", { class: "chapter-title", text: chapter.title }),
          h("span", { class: "chapter-time", text: formatTime(chapter.start) }),
        ]);
        return button;
      });
      this._chapterList.replaceChildren(...this._chapterNodes.map((node) => h("li", {}, [node])));
      this._chapterCount.textContent = chapters.length ? String(chapters.length) : "";
      this._renderChapterTimes();
      this._renderTicks();
      this._renderTranscript();
      this._renderTabs();
      this._update();
    }

    _renderChapterTimes() {
      const duration = this._duration();
      this._chapterNodes.forEach((button, i) => {
        const chapter = this._chapters[i];
        const end = i + 1 < this._chapters.length ? this._chapters[i + 1].start : duration;
        const length = Number.isFinite(end) ? `, ${spokenTime(end - chapter.start)} long` : "";
        button.setAttribute(
          "aria-label",
          `Chapter ${i + 1}: ${chapter.title}, starts at ${spokenTime(chapter.start)}${length}`,
        );
      });
    }

    _renderTicks() {
      const duration = this._duration();
      const ticks = Number.isFinite(duration)
        ? this._chapters
            .filter((c) => c.start > 0 && c.start < duration)
            .map((c) => {
              const tick = h("span", { class: "tick" });
              tick.style.left = `${(100 * c.start) / duration}%`;
              return tick;
            })
        : [];
      this._ticks.replaceChildren(...ticks);
    }

    /* ---------- transcript ---------- */

    _setCues(cues) {
      this._cues = cues;
      this._renderTranscript();
      this._renderTabs();
      this._update();
    }

    _renderTranscript() {
      const cues = this._cues;
      const chapters = this._chapters;
      this._currentCue = -1;
      this._currentWord = null;
      this._cueNodes = [];
      const sections = [];
      let section = null;
      let paragraph = null;
      let chapterIndex = -2;
      const narration = mainVoice(cues);
      cues.forEach((cue, i) => {
        const span = cueNode(cue, i, narration);
        this._cueNodes.push(span);
        const c = indexAt(chapters, cue.start);
        if (c !== chapterIndex) {
          chapterIndex = c;
          section = h("section", { class: "part" });
          sections.push(section);
          paragraph = null;
          const chapter = chapters[c];
          // The narration speaks each heading, so its cue becomes the section's heading.
          if (chapter && sameText(chapter.title, cue.text)) {
            section.append(h("h3", { class: "heading" }, [span]));
            return;
          }
          if (chapter) section.append(h("h3", { class: "heading", text: chapter.title }));
        }
        const previous = cues[i - 1];
        if (!paragraph || (previous && cue.start - previous.end >= PARAGRAPH_GAP)) {
          paragraph = h("p");
          section.append(paragraph);
        } else {
          paragraph.append(" ");
        }
        paragraph.append(span);
      });
      if (this._cueNodes.length) this._cueNodes[0].tabIndex = 0;
      this._transcriptPanel.replaceChildren(...sections);
    }

    _highlight(t) {
      const cue = indexAt(this._cues, t);
      if (cue !== this._currentCue) {
        const old = this._cueNodes[this._currentCue];
        if (old) {
          old.classList.remove("is-current");
          old.removeAttribute("aria-current");
        }
        this._currentCue = cue;
        const node = this._cueNodes[cue];
        if (node) {
          node.classList.add("is-current");
          node.setAttribute("aria-current", "true");
          if (!this._transcriptPanel.contains(this._root.activeElement)) this._rove(node);
          this._scrollToCue(node);
        }
      }
      this._highlightWord(t);
      const chapter = indexAt(this._chapters, t);
      if (chapter !== this._currentChapter) {
        const old = this._chapterNodes[this._currentChapter];
        if (old) old.removeAttribute("aria-current");
        this._currentChapter = chapter;
        const node = this._chapterNodes[chapter];
        if (node) node.setAttribute("aria-current", "true");
        // The first chapter is often named after the episode; no need to say it twice.
        const title =
          chapter >= 0 && this._chapters.length > 1 ? this._chapters[chapter].title : "";
        this._now.textContent = sameText(title, this._title.textContent) ? "" : title;
      }
    }

    /** The word being said, in the current sentence: a look only, never announced. */
    _highlightWord(t) {
      const cue = this._cues[this._currentCue];
      const node = this._cueNodes[this._currentCue];
      let word = null;
      if (cue && cue.words && node && t < cue.end) {
        const n = indexAt(cue.words, t);
        word = n >= 0 ? node.querySelector(`.word[data-word="${n}"]`) : null;
      }
      if (word === this._currentWord) return;
      if (this._currentWord) this._currentWord.classList.remove("is-said");
      this._currentWord = word;
      if (word) word.classList.add("is-said");
    }

    /** While playing, follow the words every frame: timeupdate comes only every 250 ms. */
    _follow() {
      window.cancelAnimationFrame(this._frame);
      if (!this._cues.some((cue) => cue.words)) return;
      const step = () => {
        if (this._audio.paused || this._audio.ended) return;
        this._highlight(this._audio.currentTime);
        this._frame = window.requestAnimationFrame(step);
      };
      this._frame = window.requestAnimationFrame(step);
    }

    _scrollToCue(node) {
      const panel = this._transcriptPanel;
      if (panel.hidden || this._panels.hidden) return;
      if (Date.now() - this._userScrolledAt < MANUAL_SCROLL_PAUSE_MS) return;
      // Scroll only the panel, never the page the player is embedded in.
      const top = node.offsetTop;
      const view = panel.clientHeight;
      const inView =
        top >= panel.scrollTop + view * 0.15 &&
        top + node.offsetHeight <= panel.scrollTop + view * 0.7;
      if (inView) return;
      panel.scrollTo({
        top: Math.max(0, top - view * 0.3),
        behavior: prefersReducedMotion() ? "auto" : "smooth",
      });
    }

    _rove(node) {
      for (const other of this._cueNodes) {
        if (other.tabIndex === 0 && other !== node) other.tabIndex = -1;
      }
      node.tabIndex = 0;
    }

    /* ---------- tabs ---------- */

    _renderTabs() {
      const hasTranscript = this._cues.length > 0;
      const hasChapters = this._chapters.length > 0;
      this._transcriptTab.hidden = !hasTranscript;
      this._chaptersTab.hidden = !hasChapters;
      this._panels.hidden = !hasTranscript && !hasChapters;
      const selected = this._selectedTab;
      // The transcript is the default view, even when the chapters arrive first.
      if (!this._tabChosen || !selected || selected.hidden) {
        this._selectTab(hasTranscript ? this._transcriptTab : this._chaptersTab, false);
      }
    }

    _selectTab(tab, focus = false) {
      this._selectedTab = tab;
      for (const each of [this._transcriptTab, this._chaptersTab]) {
        const selected = each === tab;
        each.setAttribute("aria-selected", String(selected));
        each.tabIndex = selected ? 0 : -1;
        this._root.getElementById(each.getAttribute("aria-controls")).hidden = !selected;
      }
      this._hint.hidden = tab !== this._transcriptTab;
      if (focus) tab.focus();
      if (tab === this._transcriptTab && this._cueNodes[this._currentCue]) {
        this._userScrolledAt = 0;
        this._scrollToCue(this._cueNodes[this._currentCue]);
      }
    }

    _onTabKey(event) {
      const tabs = [this._transcriptTab, this._chaptersTab].filter((tab) => !tab.hidden);
      const at = tabs.indexOf(this._selectedTab);
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(at + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(at - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (!next) return;
      event.preventDefault();
      this._tabChosen = true;
      this._selectTab(next, true);
    }

    /* ---------- keyboard ---------- */

    _onCueKey(event) {
      const node = event.target.closest && event.target.closest(".cue");
      if (!node) return;
      const i = Number(node.dataset.index);
      let next = -1;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowRight":
          next = Math.min(i + 1, this._cueNodes.length - 1);
          break;
        case "ArrowUp":
        case "ArrowLeft":
          next = Math.max(i - 1, 0);
          break;
        case "Home":
          next = 0;
          break;
        case "End":
          next = this._cueNodes.length - 1;
          break;
        case "Enter":
        case " ":
          event.preventDefault();
          this._jump(this._cues[i].start);
          return;
        default:
          return;
      }
      event.preventDefault();
      this._userScrolledAt = Date.now();
      const target = this._cueNodes[next];
      this._rove(target);
      target.focus({ preventScroll: true });
      this._userScrolledAt = 0;
      this._scrollToCue(target);
    }

    _onKey(event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.composedPath()[0];
      const tag = target && target.tagName;
      if (tag === "SELECT") return;
      const onSeekBar = target === this._seekBar;
      // Space presses whatever button or link has focus; elsewhere it plays and pauses.
      const pressable = tag === "BUTTON" || tag === "A";
      switch (event.key) {
        case " ":
          if (pressable) return;
          this.toggle();
          break;
        case "k":
        case "K":
          this.toggle();
          break;
        case "j":
        case "J":
          this._skip(-SKIP_BACK);
          break;
        case "l":
        case "L":
          this._skip(SKIP_FORWARD);
          break;
        case "ArrowLeft":
        case "ArrowRight":
          this._skip(event.key === "ArrowLeft" ? -ARROW_STEP : ARROW_STEP);
          break;
        case "Home":
        case "End":
          if (!onSeekBar) return;
          this.seek(event.key === "Home" ? 0 : this._duration());
          break;
        default:
          return;
      }
      event.preventDefault();
    }

    _skip(seconds) {
      this.seek(this._audio.currentTime + seconds);
    }

    /** Jump to a chapter or sentence and play from there. */
    _jump(seconds) {
      this.seek(seconds);
      this.play();
    }

    /* ---------- the operating system's media controls ---------- */

    _mediaSession() {
      if (!("mediaSession" in navigator) || typeof window.MediaMetadata !== "function") return;
      try {
        const artwork = this._art.hidden ? [] : [{ src: this._art.src }];
        navigator.mediaSession.metadata = new window.MediaMetadata({
          title: this._title.textContent,
          artist: this._showTitle.textContent,
          artwork,
        });
        const handlers = {
          play: () => this.play(),
          pause: () => this.pause(),
          seekbackward: () => this._skip(-SKIP_BACK),
          seekforward: () => this._skip(SKIP_FORWARD),
          seekto: (details) => this.seek(details.seekTime),
        };
        for (const [action, handler] of Object.entries(handlers)) {
          navigator.mediaSession.setActionHandler(action, handler);
        }
      } catch {
        /* an action this browser does not know */
      }
    }
  }

  function sameText(a, b) {
    const norm = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return norm(a) === norm(b);
  }

  AudiogenPlayer.parseVtt = parseVtt;
  AudiogenPlayer.cueWords = cueWords;
  AudiogenPlayer.parseChapters = parseChapters;
  AudiogenPlayer.formatTime = formatTime;
  AudiogenPlayer.spokenTime = spokenTime;
  window.customElements.define(TAG, AudiogenPlayer);
})();
