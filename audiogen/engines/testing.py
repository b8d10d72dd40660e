"""A conformance check for speech engines: what the pipeline relies on, in one call.

Every built-in engine passes it in audiogen's own tests, and a plugin author
runs it on theirs::

    from audiogen.engines.testing import check_engine
    check_engine(MyEngine)

It raises ``AssertionError`` naming the first broken promise. It asks the
engine for real audio (``SPOKEN``), so a network engine needs its service (or
a recorded answer, as audiogen's tests give gTTS) and a model engine its model.
"""

from __future__ import annotations

import pickle
from dataclasses import replace

from audiogen.engines.base import Engine, EngineOptions, Voice, gives_word_timings
from audiogen.engines.words import in_order
from audiogen.models import Audio

SPOKEN = "The council met on Tuesday, and the vote was close."
# Sentences with nothing to say. The pipeline never sends them, but an engine given
# one must answer with audio (empty is fine), never fail or hang.
NOTHING_TO_SAY = ('"', "…", "—", "!?", "* * *", "( )")
SAMPLE_RATES = range(8_000, 96_001)


def check_engine(factory: type[Engine], options: EngineOptions | None = None) -> None:
    """Check ``factory`` (an engine class) against the engine protocol, speaking for real."""
    options = options or EngineOptions()
    _check_declarations(factory)
    engine = factory(options)
    assert engine.options == options, "an engine keeps the options it was made with as .options"
    engine.check()
    _check_travels(factory, options)
    _check_fingerprint(factory, options)
    _check_voices(engine)
    spoken = engine.synthesize(SPOKEN)
    _check_audio(spoken, SPOKEN, spoken=True)
    if gives_word_timings(factory):
        assert [w.text for w in spoken.words] == SPOKEN.split(), (
            f"{factory.__name__} says it gives word timings (word_timings = True) but placed "
            f"{[w.text for w in spoken.words]} of {SPOKEN!r}"
        )
    for text in NOTHING_TO_SAY:
        _check_audio(engine.synthesize(text), text, spoken=False)


def _check_declarations(factory: type[Engine]) -> None:
    for attribute, kind in (("name", str), ("description", str), ("needs_network", bool)):
        value = getattr(factory, attribute, None)
        assert isinstance(value, kind), f"{factory.__name__}.{attribute} must be a {kind.__name__}"
    memory = getattr(factory, "memory_mb", None)
    assert isinstance(memory, int) and memory >= 0, "memory_mb: about how much one copy takes"
    timed = getattr(factory, "word_timings", False)
    assert isinstance(timed, bool), "word_timings, when declared, is True or False"
    assert factory.name.isidentifier(), "an engine's name is what --engine and ENGINE:VOICE take"


def _check_travels(factory: type[Engine], options: EngineOptions) -> None:
    """Worker processes and Dask workers make the engine again from its class and options."""
    try:
        pickle.loads(pickle.dumps((factory, options)))
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise AssertionError(
            f"{factory.__name__} cannot be sent to a worker process: define it at module "
            f"level ({exc})"
        ) from exc


def _check_fingerprint(factory: type[Engine], options: EngineOptions) -> None:
    """The cache key part: the same for the same settings, another for another speed."""
    first, second = factory(options).fingerprint(), factory(options).fingerprint()
    assert isinstance(first, str) and first, "fingerprint() must be a non-empty string"
    assert first == second, "fingerprint() must be the same for the same options"
    other_speed = replace(options, speed=0.5 if options.speed != 0.5 else 1.0)
    assert factory(other_speed).fingerprint() != first, (
        "fingerprint() must change with the speed: it changes the sound"
    )
    threads = replace(options, threads=1 if options.threads != 1 else 2)
    assert factory(threads).fingerprint() == first, "threads never change the sound"


def _check_voices(engine: Engine) -> None:
    languages = engine.languages()
    assert languages is None or (
        isinstance(languages, frozenset) and all(isinstance(c, str) for c in languages)
    ), "languages() is a frozenset of codes, or None"
    voices = engine.voices()
    assert isinstance(voices, tuple), "voices() is a tuple of Voice"
    for voice in voices:
        assert isinstance(voice, Voice), f"{voice!r} is not a Voice"
        assert voice.engine == engine.name, f"voice {voice.id} names engine {voice.engine}"
        assert voice.id and ":" not in voice.id[:1], f"voice id {voice.id!r} cannot be named"


def _check_audio(audio: Audio, text: str, *, spoken: bool) -> None:
    assert isinstance(audio, Audio), f"synthesize({text!r}) must return Audio"
    assert audio.sample_rate in SAMPLE_RATES, f"sample rate {audio.sample_rate} for {text!r}"
    assert len(audio.pcm) % 2 == 0, f"16-bit PCM has an even number of bytes ({text!r})"
    if spoken:
        assert audio.duration_ms > 500, f"{text!r} gave only {audio.duration_ms:.0f} ms"
    # Word timings are optional; when given, they are the text's own words, in order, inside.
    assert in_order(audio.words, audio.samples), f"word timings of {text!r} overlap or run past"
    assert all(w.text in text.split() for w in audio.words), (
        f"word timings of {text!r} name other words"
    )
