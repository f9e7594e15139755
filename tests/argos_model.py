"""A tiny French→English Argos package that copies its input, built in code for tests.

Real Argos models cannot be downloaded on the test machines, and checked-in binaries would be
opaque, so the fixture is made here in a fraction of a second:

* a SentencePiece model trained in memory on generated French lines, with every character the
  generator uses, so test sentences never hit ``<unk>``;
* a one-layer CTranslate2 Transformer whose weights are set by hand so that decoding step ``t``
  attends to source position ``t`` and emits that token: the "translation" is the input itself,
  which makes outputs exactly predictable through any decoding path (greedy, beam, batched);
* a MiniSBD sentence splitter (a handful of ONNX nodes) so that Argos's own ``translate()`` never
  downloads one.

Every file is produced deterministically and zipped with fixed timestamps, so two builds give
the same bytes.
"""

from __future__ import annotations

import io
import json
import random
import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np

PACKAGE_NAME = "translate-fr_en-copy_test"
METADATA = {
    "package_version": "0.1",
    "argos_version": "1.11.0",
    "from_code": "fr",
    "from_name": "French",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
}

VOCAB_SIZE = 256
#: Longest input the copy model handles, in SentencePiece tokens including the appended ``</s>``.
MAX_POSITIONS = 128

# Every character the generator can emit; one training line lists them all so that each one
# becomes a vocabulary piece.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒÆ"
    ".,;:!?'’«»-()\"%€…"
)

_SUBJECTS = (
    "Le modèle",
    "La traductrice",
    "Le comité",
    "Notre équipe",
    "L'éditeur",
    "Ce système",
    "La société Meta",
    "Un élève",
    "Les chercheurs",
    "La mairie de Paris",
    "Le ministère",
    "Une étudiante",
    "Le journal",
    "Ma sœur",
    "L’hôpital",
    "Le garçon",
    "Cette œuvre",
)
_VERBS = (
    "est",
    "publie",
    "traduit",
    "améliore",
    "présente",
    "a ouvert",
    "étudie",
    "vérifiera",
    "explique",
    "prépare",
    "reçoit",
    "découvre",
    "corrige",
    "achète",
    "rénove",
    "défend",
)
_OBJECTS = (
    "un nouveau corpus",
    "le rapport annuel",
    "des données ouvertes",
    "une thèse",
    "le code",
    "la réforme",
    "un texte difficile",
    "les résultats",
    "une étude complète",
    "le budget",
    "des fenêtres",
    "la forêt",
    "un gâteau",
    "le théâtre",
    "l'été",
    "une île",
    "les noëls",
)
_TAILS = (
    "",
    " à Paris",
    " en 2024",
    " depuis trois ans",
    " « sans délai »",
    " l’été dernier",
    " (selon le rapport)",
    " avec 42 % de réussite",
    " pour 15 €",
    " à Montréal",
    " en août",
    " après la crise",
    ", dit-on",
    " ; c'est sûr",
    " : voilà",
    " sans hésiter",
)
_ENDINGS = (".", ".", ".", " !", " ?", "…")


def french_sentences(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct generated French sentences, the same for the same ``seed``."""
    generator = random.Random(seed)
    sentences: list[str] = []
    seen: set[str] = set()
    while len(sentences) < count:
        sentence = (
            f"{generator.choice(_SUBJECTS)} {generator.choice(_VERBS)} "
            f"{generator.choice(_OBJECTS)}{generator.choice(_TAILS)}"
            f" n°{generator.randint(1, 9999)}{generator.choice(_ENDINGS)}"
        )
        if sentence not in seen:
            seen.add(sentence)
            sentences.append(sentence)
    return sentences


def build_copy_model(
    dest_dir: Path, num_layers: tuple[int, int] = (1, 1), ffn_dim: int = 1
) -> Path:
    """Write ``<dest_dir>/translate-fr_en-copy_test.argosmodel`` and return its path.

    More layers and a wider feed-forward only add inert weights: the output is the same, at the
    computing cost of a real model of that shape (for benchmarks).
    """
    import sentencepiece as spm

    sentencepiece_model = _train_sentencepiece([*french_sentences(400, seed=1), ALPHABET])
    processor = spm.SentencePieceProcessor(model_proto=sentencepiece_model)
    pieces = [processor.id_to_piece(index) for index in range(processor.get_piece_size())]

    files: dict[str, bytes] = {
        "metadata.json": json.dumps(METADATA, indent=2).encode("utf-8"),
        "sentencepiece.model": sentencepiece_model,
        "minisbd/fr.onnx": _minisbd_model(),
    }
    with tempfile.TemporaryDirectory(prefix="copy-model-") as model_dir:
        spec = _copy_model_spec(pieces, num_layers, ffn_dim)
        # What CTranslate2's converters do before saving: check and pack the weights.
        spec.validate()
        spec.optimize()
        spec.save(model_dir)
        for path in sorted(Path(model_dir).iterdir()):
            files[f"model/{path.name}"] = path.read_bytes()

    dest_dir.mkdir(parents=True, exist_ok=True)
    archive = dest_dir / f"{PACKAGE_NAME}.argosmodel"
    write_package_zip(archive, {f"{PACKAGE_NAME}/{name}": data for name, data in files.items()})
    return archive


def write_package_zip(archive: Path, files: dict[str, bytes]) -> None:
    """Zip ``files`` (archive name → content) with fixed metadata, for byte-identical output."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(entry, files[name])


def _train_sentencepiece(lines: list[str]) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        normalization_rule_name="identity",
        # CTranslate2's default special tokens, at SentencePiece's usual ids.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,  # multi-threaded EM may sum in a different order: not reproducible
        minloglevel=2,
    )
    return model.getvalue()


def _copy_model_spec(  # type: ignore[no-untyped-def]
    pieces: list[str], num_layers: tuple[int, int], ffn_dim: int
):
    """A Transformer whose output at step ``t`` is its source token ``t``.

    The residual stream is ``[token one-hot | position one-hot]``. The encoder does nothing (zero
    attention and feed-forward), so its output at position ``s`` still holds source token ``s``
    and position ``s``. In the decoder, cross-attention queries with the step's position, keys
    with the source positions (only ``s == t`` scores high) and copies the token block twice
    over, so the copied token outweighs the decoder's own input token at the output projection.
    The ``</s>`` appended to the source is copied last and ends decoding. Any further layers
    have zero attention and feed-forward weights.
    """
    from ctranslate2.specs import TransformerSpec

    vocab = len(pieces)
    depth = vocab + MAX_POSITIONS
    match_score = 40.0  # softmax weight left on other positions: about e^-40
    logit_scale = 4.0  # separates the copied token from the others by tens of logits
    epsilon = 1e-6

    spec = TransformerSpec.from_config(num_layers=num_layers, num_heads=1)
    spec.config.add_source_eos = True
    spec.config.layer_norm_epsilon = epsilon

    token_embeddings = np.eye(vocab, depth, dtype=np.float32)
    position_encodings = np.eye(MAX_POSITIONS, depth, k=vocab, dtype=np.float32)
    tokens = slice(0, vocab)
    positions = slice(vocab, depth)

    def zeros(rows: int, columns: int) -> np.ndarray:
        return np.zeros((rows, columns), dtype=np.float32)

    def layer_norm(norm, identity: bool) -> None:  # type: ignore[no-untyped-def]
        # A vector holding exactly two ones has a fixed mean and deviation, so these gamma/beta
        # undo the normalisation exactly for every encoder output and decoder input.
        mean = 2.0 / depth
        deviation = np.sqrt(2.0 / depth - mean * mean + epsilon)
        norm.gamma = np.full(depth, deviation if identity else 1.0, dtype=np.float32)
        norm.beta = np.full(depth, mean if identity else 0.0, dtype=np.float32)

    def inert_feed_forward(ffn) -> None:  # type: ignore[no-untyped-def]
        layer_norm(ffn.layer_norm, identity=False)
        ffn.linear_0.weight = zeros(ffn_dim, depth)
        ffn.linear_1.weight = zeros(depth, ffn_dim)

    def inert_self_attention(attention) -> None:  # type: ignore[no-untyped-def]
        layer_norm(attention.layer_norm, identity=False)
        attention.linear[0].weight = zeros(3 * depth, depth)
        attention.linear[1].weight = zeros(depth, depth)

    encoder, decoder = spec.encoder, spec.decoder
    for stack in (encoder, decoder):
        stack.scale_embeddings = False
        stack.position_encodings.encodings = position_encodings
    encoder.embeddings[0].weight = token_embeddings
    decoder.embeddings.weight = token_embeddings

    for layer in [*encoder.layer, *decoder.layer]:
        inert_self_attention(layer.self_attention)
        inert_feed_forward(layer.ffn)
    for layer in decoder.layer[1:]:
        layer_norm(layer.attention.layer_norm, identity=False)
        layer.attention.linear[0].weight = zeros(depth, depth)
        layer.attention.linear[1].weight = zeros(2 * depth, depth)
        layer.attention.linear[2].weight = zeros(depth, depth)
    layer_norm(encoder.layer_norm, identity=True)

    cross = decoder.layer[0].attention
    layer_norm(cross.layer_norm, identity=True)
    query = zeros(depth, depth)
    # Attention divides scores by sqrt(depth); undo it so a match scores exactly match_score.
    query[positions, positions] = np.eye(MAX_POSITIONS) * match_score * np.sqrt(depth)
    key_value = zeros(2 * depth, depth)
    key_value[positions, positions] = np.eye(MAX_POSITIONS)
    key_value[depth + tokens.start : depth + tokens.stop, tokens] = np.eye(vocab)
    output = zeros(depth, depth)
    output[tokens, tokens] = 2 * np.eye(vocab)
    cross.linear[0].weight = query
    cross.linear[1].weight = key_value
    cross.linear[2].weight = output

    layer_norm(decoder.layer_norm, identity=False)
    projection = zeros(vocab, depth)
    projection[:, tokens] = logit_scale * np.eye(vocab)
    decoder.projection.weight = projection

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    return spec


# --- MiniSBD splitter -------------------------------------------------------------------------
#
# MiniSBD runs an ONNX graph over character ids ("units") and takes the argmax of 5 logits per
# character: 0 inside a token, 1 end of token, 2 end of sentence. This graph marks a sentence
# end at ". ! ? …" followed by a space or the end of the text, and reads its character
# vocabulary and settings from the model's metadata. The ONNX protobuf is written by hand to
# avoid depending on the onnx package for a dozen fields.

_SENTENCE_ENDS = ".!?…"
_SBD_UNITS = ["<PAD>", "<UNK>", " ", *_SENTENCE_ENDS]
_ONNX_FLOAT = 1
_ONNX_INT64 = 7


def _minisbd_model() -> bytes:
    unit_ids = {unit: index for index, unit in enumerate(_SBD_UNITS)}
    ends_sentence = [1.0 if unit in _SENTENCE_ENDS else 0.0 for unit in _SBD_UNITS]
    may_follow_end = [1.0 if unit in ("<PAD>", " ") else 0.0 for unit in _SBD_UNITS]

    initializers = [
        _tensor("ends_sentence", [len(_SBD_UNITS)], ends_sentence),
        _tensor("may_follow_end", [len(_SBD_UNITS)], may_follow_end),
        _tensor("one", [1], [1], _ONNX_INT64),
        _tensor("big", [1], [2**62], _ONNX_INT64),
        _tensor("time_axis", [1], [1], _ONNX_INT64),
        _tensor("pad_after", [4], [0, 0, 0, 1], _ONNX_INT64),
        _tensor("last_axis", [1], [-1], _ONNX_INT64),
        _tensor("sentence_class", [5], [0, 0, 1, 0, 0]),
        _tensor("default_class", [5], [0.5, 0, 0, 0, 0]),
    ]
    nodes = [
        _node("Gather", ["ends_sentence", "units"], ["is_end"]),
        # The unit after each character, <PAD> (id 0) after the last one.
        _node("Slice", ["units", "one", "big", "time_axis"], ["later_units"]),
        _node("Pad", ["later_units", "pad_after"], ["next_units"]),
        _node("Gather", ["may_follow_end", "next_units"], ["next_allows_end"]),
        _node("Mul", ["is_end", "next_allows_end"], ["boundary"]),
        _node("Unsqueeze", ["boundary", "last_axis"], ["boundary_column"]),
        _node("Mul", ["boundary_column", "sentence_class"], ["boundary_logits"]),
        _node("Add", ["boundary_logits", "default_class"], ["logits"]),
    ]
    graph = (
        b"".join(_message(1, node) for node in nodes)
        + _string(2, "sentence_ends")
        + b"".join(_message(5, tensor) for tensor in initializers)
        + _message(11, _value_info("units", _ONNX_INT64, ["batch", "time"]))
        + _message(11, _value_info("features", _ONNX_FLOAT, ["batch", "time", 1]))
        + _message(12, _value_info("logits", _ONNX_FLOAT, ["batch", "time", 5]))
    )
    vocab = {
        "lang": "fr",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_id2unit": _SBD_UNITS,
        "_unit2id": unit_ids,
    }
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "batch_size": 32}
    metadata = {"lang_code": "fr", "config": json.dumps(config), "vocab": json.dumps(vocab)}
    return (
        _varint_field(1, 8)  # ir_version
        + _string(2, "bilingual-tests")
        + _message(7, graph)
        + _message(8, _string(1, "") + _varint_field(2, 13))  # opset 13
        + b"".join(
            _message(14, _string(1, key) + _string(2, value)) for key, value in metadata.items()
        )
    )


def _node(op_type: str, inputs: list[str], outputs: list[str]) -> bytes:
    return (
        b"".join(_string(1, name) for name in inputs)
        + b"".join(_string(2, name) for name in outputs)
        + _string(4, op_type)
    )


def _tensor(
    name: str, dims: list[int], values: list[float] | list[int], data_type: int = _ONNX_FLOAT
) -> bytes:
    packing = "<%dq" if data_type == _ONNX_INT64 else "<%df"
    return (
        b"".join(_varint_field(1, dim) for dim in dims)
        + _varint_field(2, data_type)
        + _string(8, name)
        + _bytes_field(9, struct.pack(packing % len(values), *values))
    )


def _value_info(name: str, data_type: int, shape: list[str | int]) -> bytes:
    dims = b"".join(
        _message(1, _varint_field(1, dim) if isinstance(dim, int) else _string(2, dim))
        for dim in shape
    )
    tensor_type = _varint_field(1, data_type) + _message(2, dims)
    return _string(1, name) + _message(2, _message(1, tensor_type))


def _varint(value: int) -> bytes:
    encoded = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        encoded.append(low | (0x80 if value else 0))
        if not value:
            return bytes(encoded)


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _bytes_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


_message = _bytes_field


def _string(number: int, text: str) -> bytes:
    return _bytes_field(number, text.encode("utf-8"))
