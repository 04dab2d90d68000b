"""What a message does, decided by readable rules: its dialogue act (complain, ask for a person,
yes/no, pick an option, greet, thank, bye, give feedback, ask to be led somewhere, ask which
policies fit) and, for a question, which element of a record it asks about.

Plain functions without Rasa, shared by the NLU router (bot/components/router.py) and the actions.
The catalog (the knowledge service) decides *what* a question is about; these rules never do.
Acts need strong evidence: a complaint only on explicit complaint words, never on 丢了/过期/急.
"""

from __future__ import annotations

import re


def _words(alternatives: str) -> re.Pattern[str]:
    """One pattern matching any of the whitespace-separated alternatives (regular expressions)."""
    return re.compile("|".join(alternatives.split()))


# --- everyday and regional question words ----------------------------------------------------

# Regional and spoken question words, rewritten to the standard forms the rules below are written
# in: 咋补 is 怎么补, 啥子材料 什么材料, 点样 / 哪能 / 啷个 怎么, 几多钱 多少钱, 系唔系 是不是. Longer
# forms first. From the grammar of the northern, southwestern, Wu and Cantonese varieties whose
# speakers use the hall's robots and hotline, not from any test set.
_SPOKEN_FORMS = [
    ("咋个", "怎么"), ("咋样", "怎么样"), ("咋整", "怎么办"), ("咋", "怎么"), ("啷个", "怎么"),
    ("怎个", "怎么"), ("点样", "怎么"), ("哪能搞", "怎么搞"), ("如何", "怎么"),
    ("啥子", "什么"), ("么子", "什么"), ("乜嘢", "什么"), ("啥", "什么"), ("乜", "什么"),
    ("系唔系", "是不是"), ("使唔使", "要不要"), ("使不使", "要不要"), ("唔使", "不用"),
    ("唔该", "谢谢"), ("唔系", "不是"), ("唔要", "不要"), ("唔好", "不好"),
    ("咁", "那"), ("嗰个", "那个"), ("嗰", "那"), ("要点搞", "要怎么搞"), ("点搞", "怎么搞"), ("点算", "怎么办"),
    ("唔", "不"), ("冇", "没有"), ("有没得", "有没有"), ("喺", "在"), ("边度", "哪里"), ("边个", "哪个"),
    ("几耐", "多久"), ("几多钱", "多少钱"), ("几钿", "多少钱"), ("几钱", "多少钱"), ("阿是", "是不是"),
    ("勿", "不"), ("好久能", "多久能"), ("好久可以", "多久可以"), ("几时", "什么时候"),
    ("搵", "找"), ("揾", "找"), ("睇", "看"), ("嘅", "的"), ("咗", "了"), ("俾", "给"), ("侬", "你"),
    ("阿拉", "我们"), ("shouji", "手机"), ("搁哪", "在哪"), ("半不成", "办不成"), ("tousu", "投诉"), ("收废", "收费"),
    ("网shang", "网上"), ("wang上", "网上"),
    # question words typed in pinyin by people who do not switch their input method
    ("zenmeban", "怎么办"), ("zenme", "怎么"), ("cailiao", "材料"), ("ziliao", "资料"), ("wangshang", "网上"),
    ("duoshaoqian", "多少钱"), ("duojiu", "多久"), ("zainali", "在哪里"), ("nali", "哪里"), ("shenme", "什么"),
    ("shoufei", "收费"), ("liucheng", "流程"), ("tiaojian", "条件"), ("dangtian", "当天"),
]
_SPOKEN = re.compile("|".join(re.escape(spoken) for spoken, _ in _SPOKEN_FORMS))
_STANDARD = dict(_SPOKEN_FORMS)
# a yes/no question said with a final 不 / 没 / 伐 / 咩: 能提前换不 is 能提前换吗, 办好了没 办好了吗
_FINAL_NOT = re.compile(r"(?<=[\u4e00-\u9fff])(不|没有|没|伐|咩|冇)(?=[\s，。！？,.!?~～啊呀呢哈嘛]*$)")


def standard_words(text: str) -> str:
    """The message with spoken and regional words in their standard forms."""
    return _SPOKEN.sub(lambda m: _STANDARD[m[0]], text)


def standard(text: str) -> str:
    """standard_words, and a yes/no question said with a final 不 asked with 吗."""
    return _FINAL_NOT.sub("吗", standard_words(text))


# --- which element a question asks about -------------------------------------------------------

# (element, pattern), most specific first: "网上办要跑几趟" asks about visits, not online. Who
# must come (本人去吗, 能代办吗) asks who may apply: a conditions question, whose answer also says
# how many visits (actions/replies.py), unless materials, a fee or a place are asked.
_ELEMENT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("visits", _words(r"""
        跑几[趟次回] 跑[一二两三]趟 跑多少[趟次] 去几[趟次回] 来几[趟次回] [去到]现场几[趟次]
        现场几[趟次] 几趟 跑几回 要跑 跑腿 跑一次 (?<!不)(要|必须|得|需要|用|非得)(去|到|来|跑)(一趟)?现场
        一[次趟](能|可以|就能|就)?(办完|办好|办结|搞定) 去一趟 (来|去|跑)一趟(就)?(能|可以)?办(利索|完|好|成)
        (来|跑)好几[次趟回] 一个窗口(就|都)?(能|可以)?(办完|办好|办结|搞定) (来|跑)一[次趟](就)?(够|行|可以)
        (来|跑)一[次趟](就)?(能|可以)?(拿|取|领) 一次(都|全)(能|可以)?(办完|办好|办了|搞定)
        (来|跑|去)[两二三四](次|趟|回) 一趟(能|可以|就)
    """)),
    ("online", _words(r"""
        网上 线上 在线(?!等) 网办 手机上 手机办 手机能 app APP 小程序 网站 掌上 不用去现场 不去现场
        足不出户 网页 微信上 支付宝上 电脑上 只能(来|去|到)(窗口|现场|大厅)
        电子税务局 网上办
        网厅 服务网 在家办 在家就能 在家里办 在家(能|可以) 在家里?(弄|搞|操作)
        不出门 远程办 用手机 (打|拨)电话(就)?(能|可以)?(挂失|办|申请)
        手机(可以|能不能|怎么)?(办|弄|申请|搞|操作)
        自助(机|终端)(?![^，。？?]{0,3}(在哪|哪里|哪儿|什么地方|几楼)) 自助打印 机器上 12123 十二三 一网通办 个税app
        掌上办 远程 视频(办|搞|弄|公证|连线)
        (打|拨)(个|一个|一通)电话(就)?(能|可以)?(办|挂失|申请|认证)
        (邮寄|寄|快递)(到家|回家|过来|吗|不)
    """)),
    ("location", _words(r"""
        在哪 哪里 哪儿 去哪 哪个窗口 几号窗口 什么窗口 哪个大厅 什么地方 哪个地方 地址(?!变|改|迁|错|不对) 位置 几楼
        哪一楼 哪栋 窗口在 到哪 哪办 哪个部门办
        哪层 几层 哪栋楼 哪个门 哪个区 找谁办 几号窗 哪个窗 什么窗 地点 哪个位置 上哪
        哪(能|可以)(打|办|开|领|交|补|换|拿|取|弄|签|认证) 在那(儿|里|边)?办 在那块 (一个|同一个)(地儿|地方|窗口)
        (有没有|哪有|哪儿有|哪里有)[^，。？?]{0,8}(地方|窗口|房间|室) 是?去[^，。？?]{1,6}还是(来|去|到)
    """)),
    ("fee", _words(r"""
        多少钱 收费 收钱 (什么|哪些|多少|要|交|收)费用 费用(是?多少|怎么算|贵|高) 要钱
        花钱 交钱 付钱 掏钱 免费 工本费 几块钱 多少费 价格 花多少 贵不贵
        要不要钱 交多少 贵吗 贵不 花多少钱
        (收|交|要)(哪些|什么|啥|哪几样|几样)钱
        登记费 费多少 费是多少 费[^，。？?]{0,2}怎么(收|算) 怎么收(费|钱) 好多钱 收不收 价吗 价钱 一样的?价
    """)),
    ("time_limit", _words(r"""
        多久 多长时间 几天 多少天 几个工作日 时限 多快 要等 等多久 什么时候能[拿取办好出到]
        啥时候能?[拿取办好出到] 多少时间 几个月 当天能 当场能 几周 多会儿 什么时候出
        马上 当天 加急 快点 多少个工作日 立等可取
        什么时候(能|可以)?(拿|取|办好|出|到|下来|好|发) 多久能 多久可以 几天能 多久出 多久下来
        哪天(能|可以) 快不快 慢不慢 要几天 要好久
        (能|可以)?(今天|当天|当场|马上|现场)(就)?(能|可以)?[^，。？?]{0,6}(出来|好|拿到|办好|办完|开出|打出|领着|领到|拿着)
    """)),
    ("materials", _words(r"""
        材料 带什么 带啥 带哪些 带些什么 准备什么 准备啥 准备哪些 准备些什么 要什么资料 (哪些|什么)(资料|证件) 资料清单
        提供什么 提供哪些 提交什么 提交哪些 拿什么 要什么东西 要啥东西 需要什么东西 要带 需要带 得带
        一次性告知
        提交啥 要哪些东西 准备的东西 带哪些东西
        (需要|要|得)(准备|带|交|提供)?(什么|哪些)[呢啊吗呀]?$ 要照片吗 要复印件 要原件 复印几份
        (需要|要|得)自己(带|准备|拍) (照片|相片)[^，。？?]{0,3}(什么样|要求|规格) 介绍信
        (只|光|就)(带|拿)[^，。？?]{0,8}(行不行|行吗|可以吗|够吗|够不够|中不中)
        (要|需要|得|用)(带|交|提供|准备|开)?(?![办换补领申迁注挂])[^，。？?吗]{0,6}(证明|病历|照片|相片|复印件|原件|合同|发票|证书|申请表|户口本|户口簿|身份证|执照)(吗|不)?[啊呀呢哈]*$
    """)),
    ("conditions", _words(r"""
        本人去 本人来 本人到场 要本人 本人必须 亲自去 亲自(来|到|办) 只有本人 本人才(能|可以) 非得本人 必须本人
        (要|得|需要|必须)[^，。？?\s]{0,4}来人
        (能|可以|能不能|可不可以)(找人|让人|请人)?(代办|代领|代交|代签|委托)
        代办 代领 代交 代签 帮忙办 替(我|他|她|家里人|老人|父母|我妈|我爸|孩子)?(去|来|办|补|领|交|开|签) 找人代 让人代
        (让|叫|请|喊)[^，。？?]{0,6}(帮我|帮她|帮他|替我|替她|替他) 家里人(去|来|办|代) 家属(能|可以|去|来|代)
        (都|也|俩|双方|一起)(得|要|需要|必须)(来|去|到场|到|在场) 到场 (要|必须|需要|得)登报
        (我|本人)?自己去还是 还是(银行|单位|中介|对方)(去|来) (还|也)(要|得|需要)(体检|公证|登报|面签)
        门槛 条件 要求 资格 符合 够不够 谁可以 谁能 哪些人 什么人(可以|能) 有没有资格 限制
        (什么|哪些)情况(?![啊呀呢哈]*$) 适用 (哪些|什么)行业
        哪些企业 哪些单位 什么样的(人|企业|公司|单位|家庭|条件|情况) 满多少年
        (也|还)(要|得|需要)(变|改|换|办|变更|重新办)吗
        来得及 赶得上 赶得及 让不让 给不给办 允许 够格 够资格 算不算
        几岁(才)?(能|可以) 多大(才)?(能|可以) 年龄 (还)?有戏 是不是(得|要)[^，。？?]{0,8}才(行|能|可以|给|算)
        (得|要|需要|必须)达到(多少|什么|啥|哪) 满足(什么|哪些|哪几个|些什么) 还是(我|我们)?自己(去)?办
    """)),
    ("process", _words(r"""
        流程 步骤 程序 环节 手续怎么 怎么个办法 先后 第一步 怎么操作 办理过程 (办|走|要|需要)(什么|哪些)手续
        怎么申请 如何申请 怎么转 怎么改 怎么续 怎么走 怎么申报 怎么取 怎么变更 怎么注销 先办什么 后办什么 走流程
        怎么(去|来|重新)?(办理|补|换|弄|搞|申领|领|开|上|落|交|缴|迁|挂失|销|报|登记|提取|提|查|认证|备案|开通|激活|操作|做|打印|预约|续)
        怎么个(办|弄)法 从哪(一步)?开始办 从哪(儿|里)?(下手|入手|开始) 要走什么程序 先(干|做|弄)什么
        (办理|前后|先后)?顺序 (分|有|是)?哪?几步
        (?<![了吗呢啊吧，。,!！?？\s该])怎么办(?!法)
        怎么(?!办|样|回事|不|没|这么|那么|还|才|会|就|又|说|看|想|知道|可能|能|可以|都|也|算|了|呢|啊|吗|个)[\u4e00-\u9fff]
    """)),
]

# "能…吗", "还能…吗", "行不行": a yes/no question that asks about conditions only when nothing more
# specific is asked in any clause ("个税汇算去哪办 大厅能办不" asks where)
_WEAK_CONDITIONS = _words(r"""
    还能 能不能 能[^，。？?]{0,10}吗 可以[^，。？?]{0,10}吗 行不行 可不可以 中不中 成不成 行吗 能办吗
""")
# "明天就要 来得及吗" asks whether it is done in time; "过期好几个月了 还来得及吗" whether it is allowed
# "注销麻烦不": how hard the handling is, when nothing more specific is asked ("要银行来人吗 麻烦不"
# asks who must come)
_WEAK_PROCESS = _words("麻烦吗 麻不麻烦 复杂吗 复不复杂")
_DEADLINE = _words(r"""
    明天 后天 今天 下(个)?(礼拜|星期|周|月) 就要 急用 马上要 这周 五一 十一 国庆 春节 过年 月底 年底 开学
""")
_IN_TIME = _words("来得及 赶得上 赶得及")
# "住满多长时间才能办" asks a requirement, not how long the handling takes
_RESIDENCE = _words("(住|干|缴|交|工作|参保|居住)满多(长时间|久|少年|少个月)")

# the intent that asks each element (bot/domain/matters.yml)
ELEMENT_INTENTS = {
    "general": "ask_matter",
    "materials": "ask_materials",
    "location": "ask_location",
    "time_limit": "ask_time_limit",
    "fee": "ask_fee",
    "process": "ask_process",
    "conditions": "ask_conditions",
    "online": "ask_online",
    "visits": "ask_visits",
}


# clauses of a message: "糖尿病花钱太多了，慢性病待遇怎么认定" asks in its last one
_CLAUSE_BREAK = re.compile(r"[\s，。！？；,.!?;…~～]+")


# a clause that tells what one has done asks nothing: "材料我都带齐了", "照片已经拍好了"
_DONE = re.compile(r"(都|已经|全|早就)?(带齐|备齐|准备好|准备齐|带好|拍好|交齐|交过)了")
# a clause that says what one wants to do and asks nothing ("我要开个清税证明", "我要办居住证"):
# the matter as a whole is asked, whatever was said before it
_WANT = re.compile(r"^(我|俺|咱)?(就|是)?(要|想|想要|打算|准备)(办|开|弄|申请|领|补|换|办理|做|搞)")
# "咋办", "咋整": at a loss, before the question that follows
_AT_A_LOSS = re.compile(r"怎么办[啊呀呢哦]*$")
# a clause that tells a situation and asks nothing ("好几个月了", "医保断缴好几个月了"): it ends in
# 了 and holds none of the words that ask (_ASKS)
_TOLD = re.compile(r"[了啦]$")


def element(text: str) -> str:
    """The element a question asks about, or "general" when it asks about the matter as a whole.

    The last clause that asks anything decides: people tell their situation first and ask last,
    and the situation's words (花钱太多了, 好几个月了) are no question."""
    if _IN_TIME.search(text) and _DEADLINE.search(text):
        return "time_limit"
    if _RESIDENCE.search(text):
        return "conditions"
    weak = None
    for clause in reversed(_CLAUSE_BREAK.split(text)):
        clause = standard(clause)
        asks_here = _ASKS.search(clause) is not None
        if _DONE.search(clause) or (_TOLD.search(clause) and not asks_here):
            continue
        if _WANT.search(clause) and not asks_here:
            return weak or "general"
        if weak is not None and (not asks_here or _AT_A_LOSS.search(clause)):
            # after the yes/no question asked last, a clause that asks nothing ("被拘留过几天") or
            # only says one is at a loss ("养老保险咋办") tells the situation of that question
            continue
        for name, pattern in _ELEMENT_RULES:
            if pattern.search(clause):
                return name
        if weak is None and _WEAK_PROCESS.search(clause):
            weak = "process"
        elif weak is None and _WEAK_CONDITIONS.search(clause):
            weak = "conditions"
    return weak or "general"


# "有减免没有", "首套房契税有优惠没", "有没有补贴": whether a benefit exists, which the record's
# whole answer tells. Writers call it a general question; an element guess must not make it one of
# the conditions (bot/components/router.py)
_ASKS_WHETHER_THERE_IS = re.compile(
    r"有没有[^，。？?\s]{0,6}(优惠|减免|补贴|奖励|补助|扶持|政策)"
    r"|有[^，。？?\s没]{0,6}(优惠|减免|补贴|奖励|补助|扶持|政策)(没有|没|吗|不|么)"
    r"|(政策|优惠|补贴)[^，。？?\s]{0,4}还(有没有|有吗|有不|执行不|执行吗|在吗)"
)


def asks_whether_there_is(text: str) -> bool:
    """Whether a message asks whether a benefit or policy exists ("有补贴没有")."""
    return _ASKS_WHETHER_THERE_IS.search(standard(text)) is not None


# "能一块儿办不", "有没有能一次办完的": whether several things are done together, which is what a
# theme service (一件事) is; of a theme it asks the whole (actions/answers.py), of a matter the
# words still ask what they ask ("一次能办完吗": the visits)
_TOGETHER = re.compile(r"一块儿?|一起|一并|一站式|一次性?(都)?(办|弄|搞)(完|齐|好|了)?|一趟(办|弄|搞)(完|齐|好)")


def asks_to_do_together(text: str) -> bool:
    """Whether a message asks to do several things together ("想把退休的事一块儿办了")."""
    return _TOGETHER.search(standard(text)) is not None


# --- follow-ups ------------------------------------------------------------------------------

# words that ask, point back or fill: what is left after removing them names the topic
_FILLER = _words(r"""
    那么 那个 这个 那 这 它 该 此 个 还有 还 再 又 的话 的 了 吗 呢 吧 啊 呀 哦 嗯 么 啥 什么 怎么样 怎么
    如何 请问 问一下 问下 我想 我要 想 要 需要 得 能 可以 可不可以 是不是 是 有 没有 大概 一般 一共 总共
    多少 几 办理 办 弄 搞 去 在 到 给 我 您 你 们 呐 事 证 业务 手续 一下 下 呗 就 都 也 先 后
    申请 申领 具体 窗口 ^(行|好|好的|嗯|对|是的|知道了)[，,\s]
""")
_PUNCTUATION = re.compile(r"[\s，。！？、,.!?；;：:“”\"'（）()…~～]+")


def topic_words(text: str) -> str:
    """The message without question, element and filler words: empty for "那要多少钱"."""
    rest = standard(text)
    for _, pattern in _ELEMENT_RULES:
        rest = pattern.sub("", rest)
    rest = _FILLER.sub("", rest)
    return _PUNCTUATION.sub("", rest)


def is_follow_up(text: str) -> bool:
    """A question that names nothing and so continues the matter in context ("在哪办", "要多久")."""
    return len(topic_words(text)) <= 1


# "那行驶证呢", "还有护照的呢": a new topic and nothing else, asking what was just asked about the old one
_ELLIPSIS = re.compile(
    r"^(那么|那个|那|还有|另外|对了|顺便问一下|顺便问下)?(?P<topic>[^，。？?！!]{1,20}?)(的话)?的?(呢|嘞|咧)$"
)
# "那户照呢？跟身份证一块儿丢的": the elliptical question first, then what happened, asking nothing
_FIRST_CLAUSE = re.compile(r"^(?P<first>[^，。？?！!,.\s]+[呢嘞咧])[，。？?！!,.\s]+(?P<rest>.+)$")


def ellipsis_topic(text: str) -> str | None:
    """The new topic of an elliptical question ("那行驶证呢" → 行驶证), or None for any other message."""
    told = ""
    clauses = _FIRST_CLAUSE.match(standard_words(text).strip())
    if clauses and not is_question(clauses["rest"]):
        # what follows describes the topic: "简易的那种", "跟身份证一块儿丢的"
        text, told = clauses["first"], _PUNCTUATION.sub("", clauses["rest"])
    match = _ELLIPSIS.match(_PUNCTUATION.sub("", standard_words(text)))
    # one character can be a topic ("电呢" after 用水报装), nothing but filler cannot ("那个呢")
    if match is None or element(text) != "general" or not topic_words(text):
        return None
    return match["topic"] + told


# --- dialogue acts -----------------------------------------------------------------------------

# Explicit complaint language only (the list and its everyday forms).
_COMPLAIN = _words(r"""
    投诉 投述 办不成 办不下来 不满意 态度(很|太|真|特别|非常|贼|超|老|可|极|相当|十分)?(差|不好|恶劣|蛮横)
    刁难 推诿 踢皮球 互相推
    不作为 吃拿卡要 乱收费 举报 反映问题 反映个问题 反映情况 意见很大 提意见
    不给办 不给我办 凭什么不给 推来推去 推回来 不归他们管 太过分 不像话 不负责 差评 很生气 不服 区别对待
    什么态度 不理人 效率太低 没给我办成 没办成 我要反映 想反映 这叫什么事 什么破(系统|机器|服务|地方)
    服务(很|太|真|特别|非常)?(差|烂|恶劣) 给个说法 要个说法 讨个说法 没有下文 没下文 石沉大海
    一拖再拖 欺负人 为难人 故意为难 每(回|次)都说 每次说的都不一样
    骂人 凭什么[啊呀？?！!]*$ (说好|讲好|答应|承诺)[^，。？?]{0,10}(到现在|现在|结果)[^，。？?]{0,4}(还没|也没|没)
    没有?人理 没有?人处理 也没人管 投宿 投素 头诉 一次(都|也)?(说|讲)不清楚 一次都不(说|讲)清楚 害我 害得我
    什么(服务|管理|效率|规矩) 坑人 折腾人 糊弄人? 当猴耍 欺负(老百姓|群众|人) 不耐烦 (说话|态度)[^，。？?]{0,2}冲
    谁负责 (到底)?管不管 (都|也|根本)?不理我 给我(个|一个)说法 凭什么(让|叫|不|要|把) (也|都|还)不管
    (说好|讲好|答应|承诺|不是说)[^。？?]{0,24}(结果|到现在|现在|却|还是|都)[^。？?]{0,12}(没|不|跑了|让我)
    (说|讲)[三四五六七八九十几两]个样 说法不一 [两三四五六几]个说法 反映反映 一个推一个 反应问题
    反应(这个|一下)?情况 插队 被[^，。？?]{0,8}骂 你们(得|要|必须)处理 说道说道 这事儿?(咋|怎么)说
    给我过号 不给(我)?开(发)?票 (收据|发票)(也|都)不给 投柱 到底谁管 得有人管 翻白眼 头都没抬 审犯人
    (你们|窗口|工作人员)[^，。？?]{0,12}把我[^，。？?]{0,10}(弄|搞|给)(丢|坏|错)
    (怎么|为什么)不一次(说|讲|告诉)(清|完|全) (你们)?就不能[^，。？?\s]{0,12}吗 侵犯隐私 指错(路|了|地方) 还叫什么
    什么规定 都是忙音 打不进来 (热|冷|吵|挤)得要命 快中暑 没人管(吗|啊|呀)?[？?！!]*$
""")
# a demand that someone answer for what happened ("这谁管", "得给我解决", "你们查查"): with an
# account of the hall it is a complaint, however rhetorical its questions ("这啥意思 有人管没")
_DEMAND = _words(r"""
    有人管没 有没有人管 谁来管管 这谁管 这事谁管 得给(我)?(个)?说法 (得|要|必须)给(我|个)?(解决|处理)
    你们(得|要|必须)?(处理|查查|查一下|管管)(一下)? 谁说了算 有猫腻 找个人管管 得有人(出来|出面)
""")
# words that ask something: a grievance told with them is a question ("跑了两趟了 到底要准备哪些材料")
_ASKS = re.compile(
    r"[吗呢？?]|哪|什么|怎么(?!回事|搞的|弄的)|多少|多久|多长时间|(?<![好十这了])几|谁|有没有|能不能|可不可以|要不要|是不是"
    # "交房即交证是咋回事" asks what a thing is; "这是怎么回事" alone is an exclamation
    r"|(?<![这那])是怎么回事"
)
# A grievance told as circumstances (how often one came, how long one waited): a complaint only
# when nothing is asked with it. "上次没带户口本白跑了一趟，这次要带什么" asks what to bring.
_COMPLAIN_CIRCUMSTANCES = _words(r"""
    跑了好几趟了?(都|还)?(没|办不) 来回跑(了[好几]+|好几)趟 这都第[二三四五六七八九十几]+[次趟回]
    第[三四五六七八九十几]+[次趟回](来|跑|让我|叫我) 来第[三四五六七八九十几]+[次趟回]了
    跑第[三四五六七八九十几]+[次趟回]
    让我等了 结果让我等 让我白跑 白跑了?一趟 白跑了 破服务 跑了[三四五六七八九十几]+[次趟回]
    (打|拨)了?(好几|几|很多|N)[次遍个]?(电话)?(都|也)?没人接 拖了(好几|半|一|两|三)+个?(月|星期|周|年)
    (电话|热线)[^，。？?]{0,4}打不通 (一直|老是|总是)打不通
    气死(我)?了 (太|真)?气人 没人管 转来转去 故意拖 一直拖着 拖着不办 (排|等)了[^，。？?]{0,6}(小时|钟头|上午|下午|一天)
    干等 白等 (系统|机器)[^，。？?]{0,4}(维护|坏了)[^，。？?]{0,6}办不了 没人来 来回跑了
    结果[^，。？?]{0,4}又让我 到现在(也|都|还)没 让我自己跑
""")
_FEEDBACK_BAD = _words(r"""
    答非所问 (回答|答案|你说的|回复)得?(不对|没用|不好|不满意|有问题|错了) 没帮上 没有帮助 没帮助 没解决
    不是我要的 什么破(回答|答案|机器人|玩意|东西) 差评 没用
    不是我问的 没什么用 看不懂你说的 跟没说一样 不是一回事 (答|回答|说)的?跟我问的 说了半天也?没说(明白|清楚)
    (太|好|很)?啰嗦 看不懂 不准确 (太|有点)旧了 过时 一点用(都|也)?没有 等于没说 牛头不对马嘴
    (一点|一丁点)?帮助(都|也)没有 太笼统 (说|答|讲)的(这)?都不对 (你|你这)(说|讲|答)的?不对(吧|啊)
    (你|你这)?(说|讲)的跟[^，。？?]{0,8}(不一样|对不上) (回答|答案|回复)[^，。？?]{0,2}不行 没一句有用
""")
_FEEDBACK_GOOD = _words(r"""
    很满意 非常满意 挺满意 满意 好评 很有帮助 有帮助 帮大忙 回答得?(很|真|挺)?(好|棒|清楚) 点赞
    太棒了 真棒 很专业 给力 👍 ^有用$
    很有用 说得(很|挺|真|蛮|特别)?(清楚|明白|好) 就是我要的 (这|这个)?(回答|答案)(很|挺|真)?有用
    讲得(很|挺|真|蛮|特别|太)?(清楚|明白|好) 一下就(整|弄|搞)?(懂|明白) (太|很|挺)?到位 强多了 一看就懂
    说得(挺|很|真)?详细
    比[^，。？?]{0,8}还(清楚|明白|详细) (回答|答得|说得|讲得)(还)?(不错|挺好|真好) (挺|真|还挺|好)(聪明|灵)(?!活)
    (挺|真|还挺|很|贼|老)好使 (讲|说)得明明白白 ^nice ^(666\s*)?靠谱$ 比[^，。？?]{0,6}靠谱
    (挺|很|真|蛮|太|这个|回答)靠谱(?![吗不吧？?])
""")
_HUMAN = _words(r"""
    (?<!需)(转|找|要|叫|接|换|请)(个|一个|一下)?(人工|真人|工作人员|客服|坐席|专人)
    人工(服务|客服|坐席|窗口) ^人工$ (和|跟)人(说|讲) 跟真人 转个人(?!账户|名下|所得|的) 转认工 值班的(来|过来)
    不(想)?(跟|和)(你|机器人?)(说|聊|讲) 帮办代办的(人|工作人员) (叫|找|喊|来个|派)(个)?人来 有人吗 不想跟机器
    (?<![十百千几两一二三四五六七八九零0-9])来个人 找[^，。？?]{0,6}管事的 (叫|喊)个[^，。？?]{0,6}来一下
    (跟|和|找)[^，。？?]{0,6}(负责的?人|领导)[^，。？?]{0,2}(谈|说|聊) 人工台 (人工)?课服 有人能过来
    工作人员过来 工作人员来 有没有人能帮 找个人 真人 大堂经理 导办员 志愿者 联系一下窗口的工作人员
    值班的人 叫个人 当面咨询 当面问 帮办代办的工作人员
    (转|找|要|叫|接|换|请)(个|一个|一下)?(接线员|值班经理|懂行的人|懂的人|业务员|活人)
    (跟|和)(你|机器人?)(说不清|讲不清|说不明白|讲不明白) 机器人?(听不懂|说不清|答不上) 不想(跟|和)(你|机器人?)(说|聊)
    有没有人(工|在) 人工呢 转人公 人公(服务|客服) 人工福务 接通人工 转人宫 当面(给我)?(讲|说)
    (跟|和)[^，。？?]{0,8}(负责人|经理|领导)说话 [转传赚专砖撰]人工 ^人工[\s，,！!。]*人工
    (?<!需)(找|叫|请|喊)[^，。？?！!]{0,6}(工作人员|导服人员|导服员|志愿者|大堂经理|值班经理|懂行的人)
    有(没有)?(工作人员|人工|真人)(在)?吗 有没有(工作人员|人工|真人|活人) 活人 换个人 换(一)?个(人|工作人员)
    (值班经理|负责人|经理|主任|领导)(在不在|(来|过来)(一下|一趟)) 人工电话 (找|叫|要)个?职员 仁工 人攻 人功 人供
    (约|安排|派)(个|一个)?专人 一对一 (跟|和)人工对话 有没有人(能|可以)?(过来|来)帮
    (叫|让)(你们)?(领导|经理|负责人)(来|过来) 找[^，。？?]{0,6}值班的?负责人 联系(一下)?[^，。？?]{0,6}工作人员
    (叫|喊|请)(个|一个)?[^，。？?]{0,4}过来帮 (见|找|叫)(一下)?[^，。？?]{0,4}负责(的)?人 的人过来
    (转|叫|请)(一下)?[^，。？?]{0,8}(业务人员|工作人员|业务员)
    (跟|和)(工作人员|人工|真人|客服)[^，。？?]{0,3}(通个?话|说|聊|讲)
    (找|叫|请)(你们)?(的)?领导(来|过来)?[啊呀吧]*$ (接|转|找|叫)(个|一个)?[^，。？?]{0,4}(懂|会)[^，。？?]{0,6}的人
    有没有[^，。？?]{0,8}(工作人员|翻译|职员) 手语 装人工 转(一下)?人$ 转一下人 接线员
    (让|叫)(工作人员|人工|真人|客服)(跟|和|给)我(说|讲) (有没有|找个|来个|换个)[^，。？?]{0,3}懂行的
    (让|叫|找|来|要|派)(个|一个|位|一位)[^，。？?]{0,4}(懂行的|明白人|明白的人)
    (找|叫|喊|派)(个|一个|位)[^，。？?！!]{0,6}(管|负责)[^，。？?！!]{0,6}的人
    (?i:ren\s?gong) (?i:zhuan\s?ren)
    (叫|喊|找)(下|一下)?(你们)?(窗口|值班)的?(人|领导|工作人员) 帮办的人
    (叫|喊)[^，。？?]{0,8}值班的?(负责人|领导)
    (叫|喊|请)(个|一个|位)[^，。？?]{0,4}的过来 当面(跟|和)[^，。？?]{0,8}(工作人员|人)(说|聊|唠|讲)
    找(你们|你们的|你们这的|你们这儿的)(领导|负责人|主任|经理) (领导|负责人|经理|主任)在吗
    你们的?(领导|负责人|经理|主任)[^。？?]{0,10}(让|叫)(他|她)(来|过来)
    (转|找|要|接)(个)?(人公|人攻|人功|仁工|人宫)
    ^转?\s?rg$ ^转\s?rg 工作人员[^，。？?]{0,3}(过来|来一下|来一趟)
    (我|俺)(要|想|得)?找[^，。？?]{0,8}(科长|处长|主任)(?![^，。？?]{0,3}(签|盖|批))
""")
# to talk a matter through: with a person asked for, it is that talk ("找个懂行的人来给俺说道说道"),
# not the grievance it is elsewhere ("这事儿我得说道说道")
_TALK_IT_THROUGH = re.compile("说道说道")
# where the desk with people is: a place question, whatever is said of asking a person there
_WHERE_THE_DESK_IS = re.compile(r"(咨询台|服务台|导服台|前台)[^，。？?]{0,3}(在哪|在什么地方|哪儿|哪里|怎么走)")
# the hall's leaders: a grievance told to them asks for a ticket, not a chat ("材料弄丢了，到现在没人
# 管，我要找你们领导")
_LEADER = _words("领导 负责人 主任 科长 处长 经理")
# the kinds of thing only an office issues or handles, and the hall's facilities: a message naming
# one is about the catalog, however it is worded ("那卖吃的那个许可证呢" came out of scope at 0.62,
# "有没有喂奶的屋" too). Not 签证: visas are foreign embassies' business, as the out-of-scope examples say
_CATALOG_KIND = _words(r"""
    许可证 执照 证明 登记 备案 补贴 津贴 补助 手续 申领 报装 公证 证件 证书 户口 社保 医保 公积金
    喂奶 哺乳 母婴 厕所 卫生间 洗手间 停车 电梯 取件 复印 打印 饮水 充电 轮椅 窗口
""")
# "普通注销咋走" asks the steps of a matter, not the way to a place
_PROCESS_WALK = re.compile(
    r"(注销|办理|申请|登记|手续|程序|流程|报装|备案|提取|过户|补办|换证|公证)(该|要|得|应该)?怎么走"
)
_GUIDE = _words(r"""
    带(我|俺|咱|我们)(去|过去|到) 领(我|俺|咱)(去|过去|到) 带个路 带路 陪(我|俺)(去|过去) 引我去 引导我 领路 你带我
    带我走 (?<!手续)(?<!流程)(?<!程序)怎么走(?!的?(流程|程序|手续)) 怎么过去 往哪走
""")
_MATCH_POLICY = _words(r"""
    (能|可以|可)(享受|享|申请|领)(到)?(哪些|什么|啥)(奖励|税收)?(政策|补贴|优惠|扶持|减税|减免|奖励)
    有(什么|哪些|啥)(奖励|税收)?(政策|补贴|优惠|扶持)(可以|能)?(享受|申请|领)? 匹配[^，。？?]{0,8}政策 政策匹配
    适合(我|我们)(的)?政策 符合(哪些|什么)(扶持|优惠|补贴|税收)?政策
    都有哪些(税收)?(优惠|补贴|政策) 我符合哪些 符合哪些(减税降费|优惠|补贴|扶持|政策)
    有没有(啥|什么)[^，。？?]{0,6}(扶持|优惠|补贴)政策[^，。？?]{0,8}能享受
""")
_GREET = re.compile(
    r"^(喂+|你好|您好)+(能|可以)?听(得)?(见|到)(吗|不|没)?$"  # a caller checking the line
    r"|^(同志|师傅|闺女|小姑娘|姑娘|美女|帅哥|老妹儿?|老弟|大姐|大哥|老铁)?"
    r"(你好|您好|泥好|hi|hello|哈喽|嗨|喂|早上好|上午好|下午好|晚上好|在吗|在不在|小助手|早晨|早啊"
    r"|你们好|大家好|雷猴|内猴|你好呀)"
)
_BYE = _words(r"""
    再见 拜拜 ^886$ ^88$ 先走了 我走了 回头见 下次见 bye 再会 走了哈 撤了 没事了 回见 ^走了 挂了 先这样 回头再(来|问)
    [\s，,]拜$ 没别的了 就这样 先不问了 下次再(说|问)
""")
_THANKS = _words("谢谢 感谢 多谢 谢了 辛苦了 辛苦你了 辛苦您了 麻烦你了 多谢晒 谢啦 感恩 谢谢你啊 xiexie thanks thx 3q")
# whole-message answers: "好的" is yes, "好的，那多少钱" is a question
_AFFIRM = re.compile(
    r"^(是的?|对的?|对对|嗯+|好的?|好啊|可以|行|没错|就是|就是这个|就这个|是这个|确定|要的|需要|ok|OK|yes|对头|没问题"
    r"|要得|中|好嘞|嗯呐|是滴|对滴|对咯|系|係|系啊|就系|没有问题|没得问题|可以的|行的|成|是嘞|就是那个|是那个"
    # the answer to an offer to register a complaint (bare 登记 is a catalog word, 婚姻登记)
    r"|要|(要|帮我|给我|麻烦|请|那就|就)登记(一下)?|登记一下)+$"
)
# "不是，我说的不是这个": a no with its reason
_DENY_SAID = re.compile(
    r"^(不是|不对|没有|不用|也不是)+(我(说|问|要)的?)?(不是)?(这个|那个|这些|这样)(意思)?$"
    r"|^(不是|不对|没有|不用|也不是)+你?(理解错|搞错|弄错|听错)了?$|^(不是|不用|没有)+我?就?随便问问$"
)
_DENY = re.compile(
    r"^(不是|不对|不要|不用|不用了|没有|不|否|不行|不需要|算了|都不是|也不是|不是这个|不是滴|莫得|没得|不得行|弗是|错|错误|搞错"
    r"|不系|木有|没(?=不)|no|NO|No|nope)+$"
)
_CHOOSE = re.compile(
    r"^(就|选|要|我选|我要)?(第?[一二三四1-4](个|项|条)?|最后一个|前面那个|后面那个|前一个|后一个|头一个)(吧|吧的|的)?$"
)
# "你是真人还是机器人" asks what the assistant is (small talk), not for a person
_ASKS_WHAT_I_AM = re.compile(r"(你|您)(是|是不是)(个)?(真人|机器人|人工)|真人还是机器|机器人?还是(真)?人")
# the words that file a ticket without asking first, when said rather than asked ("我要投诉");
# 投述, 投宿, 投素, 头诉 are 投诉 misheard, 反应 is 反映 mistyped
_FILING_WORDS = "投诉 投述 投宿 投素 投速 头诉 举报 我要反映 我要反应"
_FILE_AT_ONCE = _words(_FILING_WORDS)
# words that always mean a complaint, whatever feedback words stand beside them
_COMPLAIN_EXPLICIT = _words(f"{_FILING_WORDS} 爱答不理")
# asked to file one: "能不能帮我提个办不成事的工单" files at once, however politely it is asked
_FILE_REQUEST = re.compile(r"(提|开|登记|报|建)(个|一个)?[^，。？?]{0,8}工单")
# "怎么提工单", "要是…能提工单吗" ask about filing, they file nothing
_HOW_OR_IF = re.compile(r"怎么|如何|哪|流程|步骤|要是|如果|万一|假如")
# a bad rating of the hall, its windows or its staff (not of the assistant's answer)
_SERVICE_RATING = re.compile(r"(服务|大厅|窗口|工作人员|你们)[^，。？?！!]{0,8}差评")
# "办不成事反映窗口在哪" asks where to complain: a place question, no ticket
_COMPLAINT_PLACE = re.compile(
    r"(反映|投诉)[^，。？?]{0,6}(窗口|地方|处|台)[^，。？?]{0,4}(在哪|哪里|哪儿|怎么走)"
    # "事儿办不成去哪反映啊", "有没有能反映问题的地方" ask where one would go, they file nothing
    r"|(去|到|找|上)(哪|哪里|哪儿|什么地方)(反映|投诉|说|讲)"
    r"|(投诉|反映)[^，。？?]{0,3}(去|到|找|上|在)(哪|哪里|哪儿|什么地方)"
    # "办不成事这块是谁负责的"
    r"|办不成(事|的事情?)?[^，。？?]{0,6}(谁|哪个部门|哪个窗口)(负责|管)"
    r"|有(没有)?[^，。？?]{0,8}(反映|投诉|提意见)[^，。？?]{0,4}的?(地方|窗口|渠道|部门)"
    r"|(意见|问题)[^，。？?]{0,4}(在哪|去哪|哪里|哪儿)(能|可以)?(提|反映|说)"
    # "以后要反映问题的话，是去哪个窗口"
    r"|(反映|投诉)[^。？?]{0,10}(去|到|找)(哪个|哪)(窗口|地方|部门)"
)
# the complaint procedure as a topic ("办不成事能在网上反映不", "投诉完一般多久有回复"), not said
# as one's own wish (我要投诉, 想反映)
_COMPLAINT_TOPIC = re.compile(r"(?<![要想])(投诉|举报|反映(情况|问题|一下)?|办不成(的)?(事情?)?)")
# "我不是要投诉哈": an explicit word said not to be meant
_NOT_COMPLAINING = re.compile(r"(不是要|不是想|不是|不想|没想|并不是|不)(投诉|举报|反映)")
# a grievance supposed ("要是事情一直办不下来，一般是找谁管") is none told: its clause is left out
_HYPOTHETICAL = re.compile(r"(要是|如果|万一|假如|假设|一旦|若是)[^，。？?！!]*")
# who says they are only asking ("我就先问问", "我先打听一下") makes no complaint in soft words
_JUST_ASKING = re.compile(r"(就|先|只是)(问问|打听一下|了解一下|打听打听|了解了解)|现在没(啥|什么)事")
# "办不成事的那个窗口", "办不成事的那个反映窗口": the name of a place (leading there, asking where
# it is), no complaint; the whole name is one place, or its first words would still file a ticket
# (not "投诉那个窗口收材料的人", a complaint about a window's staff)
_COMPLAINT_WINDOW = re.compile(
    r"(办不成事(反映)?|投诉|反映)(的)?(那个|这个|那)?(反映|投诉)?(窗口|台|处|地方)"
    r"(?![^，。？?]{0,6}(的人|人员|大姐|大哥|姑娘|小伙|师傅))"
)
# a person of a registration replaced ("股东要换一个人") asks for nobody
_ROLE_CHANGE = re.compile(
    r"(股东|法人|法定代表人|董事|监事|经理|负责人|联系人|经办人|财务|户主)[^，。？?]{0,3}换一?个人"
)
# who asks which policies fit them: anything else before the question names a topic
_SUBJECT = _words(r"""
    我们公司 我们企业 我们单位 我们 我 咱们 咱 公司 企业 单位 个人 小微企业 个体户 帮我看看 帮我查查 帮我 看看
    请问 都 能 可以 现在 还 有没有 这边 你们这 你好 小公司 小企业 小微 我们店 我店 厂子 工厂 我们厂
    像?(我|我们|咱|咱们|我家)?(这种|这样|这类|这个)(情况|条件|身份)?的? 像我(这样|这种)的? 我家 我现在
""")
# "我是应届毕业生，…", "我刚失业，…": a situation, not a policy's name
# a tax or fund named: "有啥优惠" asks about that levy's relief, which is one policy ("买房这契税也太
# 贵了，首套房有没有啥优惠啊"), not which policies fit a profile
_NAMED_LEVY = re.compile(
    r"契税|公积金|社保费|房产税|土地使用税|增值税|个人所得税|个税|残保金|残疾人就业保障金|印花税|车船税|消费税"
)
# the tax relief for hiring a group ("我们还招了俩退伍兵，这个有啥税收优惠"): one policy per group
_HIRING_TAX = re.compile(r"招[^，。？?]{0,6}(退伍|退役|残疾|失业|毕业)[^。？?]{0,16}税")
_SELF_DESCRIPTION = re.compile(
    r"^(我|我们|咱|咱们|本人|俺|俺们)(公司|企业|单位|家|店)?(是|刚|现在|已经|今年|家|在|属于)[^，。？?]{1,15}[，,\s]"
    r"|^像?(我|我们|俺)(这种|这样|这类)[^，。？?]{0,15}[，,\s]"
    r"|^(我|本人|俺)?(刚|才|已经)?(毕业|退休|失业|下岗|退伍)[^，。？?]{0,12}[，,\s]"  # 刚毕业想自己干点啥，…
    # a profile in numbers
    r"|^[^？?]{0,20}(营业额|营收|销售额|收入|员工|职工|人数|成立|注册|[十百千几两]来?[个号]人)[^，。？?]{0,12}[，,\s]"
    r"|^(我|我们|咱|咱们|本人)?[^，。？?\s]{0,12}了[^，。？?\s]{0,8}[，,\s]"  # 下岗了，…; 我们企业招了几个残疾人 …
)
# "不用带我去" declines guidance
_DENY_START = re.compile(r"^(不用|不要|不需要|别)")
_TRIM = re.compile(r"[\s，。！？、,.!?~～…啊呀吧呢哦了的啦嘛]+")
_COURTESY = re.compile(
    r"小助手|助手|你|您|了|啊|哈|呀|啦|再次|非常|太|真是|真|很|这个|回答|答案|给个|挺|的|得|闺女|同志"
)


def names_catalog_kind(text: str) -> bool:
    """Whether the message names a kind of thing an office handles (许可证, 证明, 补贴 …) or a
    facility of the hall (喂奶, 厕所, 停车)."""
    return _CATALOG_KIND.search(text) is not None


def is_question(text: str) -> bool:
    """Whether a message asks something: a question word, or an element ("社保卡补办到底多长时间能
    拿到卡" asks the time limit with neither 吗 nor 什么)."""
    return asks(text) or element(text) != "general"


# "没人告诉我去哪办" tells a grievance; its 去哪 asks nothing
_TOLD_NOBODY = re.compile(r"(没人|没有人|没|不)(告诉|说|讲|通知)")
_CLAUSES = re.compile(r"[，,。！!？?；;\s]+")


def _asks_an_element(text: str) -> bool:
    """Whether a message asks, and asks something of a record: "要带啥", not "什么玩意儿啊"."""
    return asks(text) and element(text) != "general"


def _asks_about_complaining(text: str) -> bool:
    """Whether a message asks an element of the complaint procedure itself and tells no grievance:
    "走办不成事这个流程的话一般要跑几趟", "去办不成事窗口反映情况要带啥不"."""
    rest = _COMPLAINT_TOPIC.sub("", text)
    told = _COMPLAIN.search(rest) or _COMPLAIN_CIRCUMSTANCES.search(rest) or _HARDSHIP.search(rest)
    return not told and _asks_an_element(rest)


def _asks_beside_the_grievance(text: str) -> bool:
    """Whether a clause without complaint words asks an element ("开发商一直拖着不给办，我自己能网上
    查到备案没吗"): the message is that question, which the catalog answers, whatever is told
    around it. "什么玩意儿啊" and "你们就不能一次性告知吗" ask no element."""
    return any(
        _asks_an_element(clause)
        for clause in _CLAUSES.split(text)
        if clause and not _COMPLAIN.search(clause) and not _TOLD_NOBODY.search(clause)
    )


def asks(text: str) -> bool:
    """Whether a message asks something (a question word, 吗, 有没有, a final 不)."""
    return bool(_ASKS.search(standard(text)))


def _bare(text: str) -> str:
    return _TRIM.sub("", text)


def _short(text: str, pattern: re.Pattern[str], limit: int) -> bool:
    """The act's words are most of the message: "谢谢你" is thanks, "谢谢，那多少钱" is not."""
    rest = _COURTESY.sub("", _bare(pattern.sub("", text)))
    return len(rest) <= limit


# a hardship the hall or its staff caused, told without a question: offered a ticket when the
# catalog has nothing for the message (actions/matters.py), never filed on these words alone
_HARDSHIP = _words(r"""
    没有?人(来|修|管|接|回|理|联系|处理|告诉|办) 坏了 (写|弄|搞|填|打)错 失败 老崩 崩了 死机 耽误 拖了
    还没(叫|轮|办|到|给|回|联系|消息|下来) 都没(人|叫|轮|办|回) 一问三不知 指错 不好使 每(回|次)都这样
    让我(明天|重新|再|回去) 又让我 白等 白跑 (热|冷|吵|挤)死 打不通 等了 等到 (又|也|都)不(说|讲|告诉)
    不搭理 说不清楚 又说 办不了 不让(进|办|我) 没给(开|办|我) 找不着了 嚷嚷 吼我 凶我 占线 打不进去 录错
    说不知道
""")


def tells_a_hardship(text: str) -> bool:
    """Whether a message tells a hardship and asks nothing ("大厅空调坏了热死了，好几天了也没人修")."""
    text = standard_words(text)
    return bool(_HARDSHIP.search(text) or _COMPLAIN_CIRCUMSTANCES.search(text)) and not asks(text)


# what happened at the hall, told without a question ("预约的九点，来了说预约作废了，让重新取号",
# "那个工作人员说话阴阳怪气的"): the words of a visit, a wait, a person dealt with
_WHAT_HAPPENED = _words(r"""
    来了 到了 去了 让我 叫我 说我 给我 冲我 跟我 工作人员 窗口 保安 排队 排了 预约 取号 网上 系统 电话
    趟 等了 收了 站了 半个月 一个月 好几天 上礼拜 上周 昨天 又说 又让
""")
# shorter than this, a message is no account of what happened ("窗口那边")
_ACCOUNT_CHARS = 10


def tells_what_happened(text: str) -> bool:
    """Whether a message tells what happened at the hall, at some length, and asks nothing. Only
    where the catalog finds nothing for it is it offered a ticket (actions/service.py, nothing_found)."""
    text = standard_words(text)
    return (
        len(text) >= _ACCOUNT_CHARS
        and _WHAT_HAPPENED.search(text) is not None
        and not asks(text)
        and element(text) == "general"
    )


def _tells_of_the_hall(text: str) -> bool:
    """Whether a message tells, at some length, a hardship or what happened at the hall, asked
    about or not."""
    text = standard_words(text)
    return len(text) >= _ACCOUNT_CHARS and bool(_WHAT_HAPPENED.search(text) or _HARDSHIP.search(text))


def tells_a_grievance(text: str) -> bool:
    """Whether a message tells a hardship or what happened at the hall and asks nothing ("预约的
    九点，来了说预约作废了"): where the catalog has nothing for it, it is offered a ticket
    (actions/service.py), never read as a record."""
    return tells_a_hardship(text) or tells_what_happened(text)


# "你说的不对吧，我那不是到期，是泡坏了": a correction of what the assistant took the topic to be
_CORRECTION = re.compile(r"^(不对|不是|你说的?不对|你(理解|搞|弄|听)错|说错了|搞错了|弄错了)")


def corrects(text: str) -> bool:
    """Whether a message starts by correcting the assistant (its topic follows)."""
    return _CORRECTION.match(standard_words(text).strip()) is not None


def _asks_to_file(text: str) -> bool:
    """Whether a message asks to have a 工单 filed ("帮我提个工单"), not how to file one."""
    return bool(_FILE_REQUEST.search(text)) and not _HOW_OR_IF.search(standard(text))


# a filing word alone ("投诉"), typed as a search is: it looks for where to complain, and a ticket
# would hold no grievance (set 33 filed one)
_FILING_WORD_ALONE = re.compile(f"^({'|'.join(w for w in _FILING_WORDS.split() if not w.startswith('我要'))})$")


def files_at_once(text: str) -> bool:
    """Whether a complaint is made in words explicit enough to file a ticket without asking: 投诉,
    举报 or 我要反映, said, not asked, supposed or denied; or a plain request to file a 工单.

    Why: softer grievances ("跑了三趟都没办成", "态度太差") are also complaints, but each new way of
    telling a hardship or asking about complaints was read as one somewhere; offered a ticket
    first (actions/service.py), a misread message costs one question, never a false work order.
    """
    text = standard_words(text)
    if _asks_to_file(text):
        return True
    if _FILING_WORD_ALONE.match(_bare(text)):
        return False
    said = bool(_FILE_AT_ONCE.search(_HYPOTHETICAL.sub("", text)))
    return said and not _NOT_COMPLAINING.search(text) and not _JUST_ASKING.search(text) and not is_question(text)


def dialogue_act(text: str) -> str | None:
    """The act a message performs, or None when it is a question (or an answer) about content.

    Context decides the rest: affirm/deny mean yes/no only after the assistant asked something,
    choose_option only while options are pending (actions/matters.py).
    """
    text = standard_words(text)
    bare = _bare(text)
    if not bare:
        return None
    if _FILING_WORD_ALONE.match(bare):
        return None  # the catalog leads to the 办不成事 window
    if _COMPLAINT_WINDOW.search(text):
        text = _COMPLAINT_WINDOW.sub("窗口", text)
    where_to_complain = bool(_COMPLAINT_PLACE.search(text)) or _asks_about_complaining(text)
    just_asking = bool(_JUST_ASKING.search(text))
    if _asks_to_file(text):
        return "complain"
    if _COMPLAIN_EXPLICIT.search(text) and not (where_to_complain or just_asking or _NOT_COMPLAINING.search(text)):
        return "complain"  # "我要投诉，找你们领导": the ticket, which also names who follows up
    # phrases are searched in the text as written ("跑了好几趟了还没"); whole-message answers
    # (是的, 第二个) are matched without particles and punctuation
    told = _HYPOTHETICAL.sub("", text)
    if _DEMAND.search(text) and _tells_of_the_hall(_DEMAND.sub("", text)):
        return "complain"  # "窗口那人一直低头玩手机，…，这谁管"
    if _WHERE_THE_DESK_IS.search(text):
        return None  # "算了我还是当面问问吧，咨询台在哪": the way to the desk, where people are
    if _HUMAN.search(_ROLE_CHANGE.sub("", _ASKS_WHAT_I_AM.sub("", text))):  # "你是机器人吧，给我换个人" asks for one
        # what is left after the request tells what happened, or not ("我不跟机器说话，给我找你们领导来");
        # a complaint in words names staff ("那个导办员态度太恶劣") or asks for a new one ("每次换个人
        # 说法都不一样 得有人给个说法")
        grievance = tells_a_grievance(_HUMAN.sub("", text))
        complained = (
            _COMPLAIN.search(_TALK_IT_THROUGH.sub("", told)) is not None
            and not (where_to_complain or just_asking or _asks_beside_the_grievance(told))
        )
        return "complain" if (_LEADER.search(text) and grievance) or complained else "request_human"
    if not where_to_complain and not just_asking and (
        _SERVICE_RATING.search(told)
        or (
            _COMPLAIN.search(told)
            and not (_FEEDBACK_BAD.search(told) and _short(told, _FEEDBACK_BAD, 4))
            and not _asks_beside_the_grievance(told)
        )
        or (_COMPLAIN_CIRCUMSTANCES.search(told) and not is_question(_COMPLAIN_CIRCUMSTANCES.sub("", told)))
    ):
        return "complain"
    if _FEEDBACK_BAD.search(text) and _short(text, _FEEDBACK_BAD, 4):
        return "feedback_bad"
    if _GUIDE.search(text) and not _PROCESS_WALK.search(standard(text)):
        return "deny" if _DENY_START.match(bare) else "guide_me"
    named = _NAMED_LEVY.search(text) or _HIRING_TAX.search(text)
    match = _MATCH_POLICY.search(text) if not named else None
    before = text[: match.start()] if match else ""
    if match and (not _SUBJECT.sub("", _bare(before)) or _SELF_DESCRIPTION.match(before)):
        return "match_policy"  # "我们公司能享受哪些政策"; "小型微利企业所得税有什么优惠" names its policy
    if _CHOOSE.match(bare):
        return "choose_option"
    if _DENY.match(bare.rstrip("哈")) or _DENY_SAID.match(bare):
        return "deny"
    if _AFFIRM.match(bare):
        return "affirm"
    if _BYE.search(text) and _short(text, _BYE, 6):
        return "goodbye"
    if _THANKS.search(text) and _short(text, _THANKS, 4):
        return "thanks"
    if _FEEDBACK_GOOD.search(text) and _short(text, _FEEDBACK_GOOD, 6):
        return "feedback_good"
    if _GREET.match(bare) and _short(bare, _GREET, 4):
        return "greet"
    return None
