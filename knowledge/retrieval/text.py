"""Chinese text helpers shared by the lexical, phonetic and entity parts: jieba with a
user dictionary generated from the catalog, stop words, and toneless pinyin."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

# Words that occur in almost every question or matter name; they carry no meaning for
# which matter is meant, so they are left out of lexical scoring.
STOP_WORDS = frozenset(
    """的 了 吗 呢 啊 吧 呀 嘛 哦 哈 么 着 过 和 与 及 或 还 也 就 都 又 再 很 太 最 更
    我 我们 你 你们 您 他 她 它 咱 咱们 自己 这 那 这个 那个 这儿 那儿 这里 那里 这边 那边
    怎么 怎么样 怎样 如何 什么 啥 哪 哪里 哪儿 哪个 多少 几 为什么 是否 能否 能不能 可不可以
    要 想 想要 需要 得 应该 可以 能 会 是 有 没有 没 不 去 到 在 给 帮 把 被 让 用 对 从 为
    办 办理 申请 申办 手续 业务 事 事情 问 问问 请问 咨询 一下 请 麻烦 你好 您好 喂 那个啥
    嗯 呃 额 就是 然后 那么 所以 因为 但是 不过 现在 今天 已经 刚 刚刚 一个 个 下 上 里
    啊 呗 哎 唉 诶 谢谢 好 好的 行 吧 咋 咋办 弄 搞 整""".split()
)

# Words that ask for one element of a matter (materials, place, fee, time...). The bot takes
# the element from the intent; for finding the record they only add noise, and a question
# made of them alone ("那要多少钱") names no record at all.
ELEMENT_WORDS = frozenset(
    """材料 资料 证件 东西 带 带啥 准备 提交 多少钱 钱 费用 收费 收 交 在哪 在哪儿 哪办 地方 窗口 几号
    多久 几天 多长时间 时间 时限 流程 步骤 程序 条件 要求 网上 线上 手机 网办 跑 几趟 趟 次 现场 本人
    位置 办好 办完 办下来
    具体 详细 情况 相关 规定 政策 那 那要 呢 还 再问 另外 还有""".split()
)

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u4e00-\u9fff]")

# Fold accent-dependent distinctions that ASR and southern speakers blur.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("r", "n"), ("f", "h"))
_FUZZY_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


CATALOG_WORD_FREQ = 20000
# what add_words taught jieba, with the frequency each word had before (0: no word)
_taught: dict[str, int] = {}


def add_words(words: Iterable[str]) -> None:
    """Teach jieba catalog terms (names, aliases, places) so they segment as units.

    Idempotent: jieba adds every call's frequency to its total, so re-adding known words
    would shift how everything else segments each time a searcher is built.
    """
    added = False
    for word in words:
        word = word.strip()
        if len(word) >= 2 and jieba.dt.FREQ.get(word) != CATALOG_WORD_FREQ:
            _taught.setdefault(word, int(jieba.dt.FREQ.get(word) or 0))
            jieba.add_word(word, freq=CATALOG_WORD_FREQ)
            added = True
    if added:
        tokens.cache_clear()  # segmentation changed


def forget_catalog_words() -> None:
    """Undo add_words: jieba's dictionary is process-wide, and evaluating a catalog without
    aliases must not segment by the aliases of a catalog searched before it."""
    for word, frequency in _taught.items():
        # add_word set FREQ and added CATALOG_WORD_FREQ to the total; take both back
        jieba.dt.FREQ[word] = frequency
        jieba.dt.total -= CATALOG_WORD_FREQ
    _taught.clear()
    tokens.cache_clear()


def word_frequency(word: str) -> int:
    """How common a word is in jieba's general dictionary (0 if it is no word)."""
    return int(jieba.dt.FREQ.get(word) or 0)


# One search tokenises and transliterates the same question several times (BM25, entities,
# the pinyin index, calibration features); these pure functions are cached per text.
@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Search-mode jieba tokens without stop words and punctuation.

    Search mode also yields the sub-words of long terms, so a document indexed as
    驾照到期换证 still matches a question that says 驾照 and 到期.
    """
    return tuple(
        t
        for t in jieba.cut_for_search(text.lower())
        if t.strip() and not _PUNCT.fullmatch(t) and t not in STOP_WORDS and t not in ELEMENT_WORDS
    )


def fuzzy_syllable(syllable: str) -> str:
    for full, folded in _FUZZY_INITIALS:
        if syllable.startswith(full):
            syllable = folded + syllable[len(full) :]
            break
    for full, folded in _FUZZY_FINALS:
        if syllable.endswith(full):
            syllable = syllable[: -len(full)] + folded
            break
    return syllable


@lru_cache(maxsize=8192)
def exact_syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of the Chinese characters in `text`, without accent folding."""
    return tuple(lazy_pinyin("".join(_HAN.findall(text)), style=Style.NORMAL, errors="ignore"))


def syllables(text: str) -> tuple[str, ...]:
    """Toneless, accent-folded pinyin of the Chinese characters in `text`."""
    return tuple(fuzzy_syllable(s) for s in exact_syllables(text))


@lru_cache(maxsize=8192)
def syllable_bigrams(text: str) -> tuple[str, ...]:
    """Pinyin bigrams: the unit of phonetic matching (社宝卡 and 社保卡 share all of them)."""
    seq = syllables(text)
    if len(seq) == 1:
        return seq
    return tuple(f"{a}_{b}" for a, b in zip(seq, seq[1:], strict=False))
