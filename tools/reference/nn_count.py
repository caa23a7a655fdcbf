#!/usr/bin/env python3
"""An independent, minimal evaluator of NetDsl `.nn` files: shapes, parameters and MACs only.

It exists to cross-check the zoo (and the real checker) — it is not the language implementation and only
knows the subset of docs/language.md that the zoo uses. No third-party packages needed.

    python3 tools/reference/nn_count.py examples/models/*.nn                 # every network and variant
    python3 tools/reference/nn_count.py examples/models/resnet.nn -n ResNet18 -v   # layer by layer
    python3 tools/reference/nn_count.py examples/models/*.nn --check examples/models/reference.json
"""
import argparse
import json
import math
import re
import sys

ACTS = {"relu", "relu6", "hswish", "hsigmoid", "silu", "swish", "sigmoid", "gelu", "tanh", "identity"}
KEYWORDS = {"network", "block", "variant", "input", "let", "for", "in", "repeat", "as", "if", "else", "parallel",
            "path", "split", "residual", "when", "dense", "concat", "add", "true", "false"}

TOKEN = re.compile(r"""
    (?P<ws>\s+|/\*.*?\*/)
  | (?P<slash2>//)
  | (?P<shape>\d+(?:x\d+)+)
  | (?P<num>\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\.\.|//|==|!=|<=|>=|&&|\|\||[-+*/%^<>!?:=(){}\[\],.])
""", re.S | re.X)


KW_ALL = KEYWORDS | {"int", "float", "bool", "div"}
# Floor division is the keyword `div`; `//` is only the line comment. Set to True to read files written for the
# parser's earlier rule (`//` after an operand divides when the rest of the line reads as an expression).
LEGACY_SLASH_DIV = False
EXPR_CHARS = set("()[],:?=!<>+-*/%^.&| \t")


def floor_division_tail(text, pos):
    """The parser's rule (dsl/NetDsl.Language/Parsing/FloorDivisionTail.cs): after an operand, `//` divides
    when the rest of the line reads as the end of an expression, otherwise it starts a comment."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text) or not (text[pos].isalnum() or text[pos] in "_([-!"):
        return False
    prev_word = False
    while pos < len(text):
        c = text[pos]
        if c in "\r\n{}":
            return True
        if c == "/" and pos + 1 < len(text) and text[pos + 1] in "/*":
            return True
        if not (c.isascii() and (c.isalnum() or c == "_") or c in EXPR_CHARS):
            return False
        if c.isascii() and (c.isalnum() or c == "_"):
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?").match(text, pos)
            end = m.end() if m and m.end() > pos else pos + 1
            if prev_word and text[pos:end] not in KW_ALL:
                return False
            prev_word = True
            pos = end
            continue
        if c not in " \t":
            prev_word = False
        pos += 1
    return True


class Tok:
    def __init__(self, kind, text, pos, glued):
        self.kind, self.text, self.pos, self.glued = kind, text, pos, glued

    def __repr__(self):
        return f"{self.kind}:{self.text}"


def lex(src):
    toks, pos, prev_end = [], 0, -1
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m:
            raise SyntaxError(f"bad character at {pos}: {src[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind == "slash2":
            prev = toks[-1] if toks else None
            operand = prev is not None and (prev.kind in ("num", "name") or prev.text in (")", "]"))
            if LEGACY_SLASH_DIV and operand and src.count("\n", prev.pos, m.start()) == 0 \
                    and floor_division_tail(src, m.end()):
                kind = "op"
            else:                                       # a line comment
                end = src.find("\n", m.start())
                pos = len(src) if end < 0 else end
                continue
        if kind != "ws":
            if kind == "shape":
                parts = m.group().split("x")
                for i, p in enumerate(parts):
                    if i:
                        toks.append(Tok("name", "x", m.start(), False))
                    toks.append(Tok("num", p, m.start(), False))
            else:
                toks.append(Tok(kind, m.group(), m.start(), m.start() == prev_end))
            prev_end = m.end()
        pos = m.end()
    toks.append(Tok("eof", "", pos, False))
    return toks


class Parser:
    def __init__(self, src):
        self.src = src
        self.t = lex(src)
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k]

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def at(self, text, k=0):
        return self.peek(k).text == text and self.peek(k).kind in ("op", "name")

    def expect(self, text):
        tok = self.next()
        if tok.text != text:
            line = self.src.count("\n", 0, tok.pos) + 1
            raise SyntaxError(f"line {line}: expected {text!r}, got {tok.text!r}")
        return tok

    def name(self):
        tok = self.next()
        if tok.kind != "name":
            line = self.src.count("\n", 0, tok.pos) + 1
            raise SyntaxError(f"line {line}: expected a name, got {tok.text!r}")
        return tok.text

    # declarations ---------------------------------------------------------------------------------------
    def file(self):
        decls = []
        while self.peek().kind != "eof":
            kw = self.name()
            if kw in ("network", "block"):
                name = self.name()
                params = self.params()
                body = self.body()
                decls.append((kw, name, params, body))
            elif kw == "variant":
                name = self.name()
                self.expect("=")
                base = self.name()
                args = self.args()
                inp = None
                if self.at("{"):
                    self.expect("{")
                    self.expect("input")
                    inp = self.shape()
                    self.expect("}")
                decls.append(("variant", name, (base, args), inp))
            else:
                raise SyntaxError(f"unexpected {kw}")
        return decls

    def params(self):
        self.expect("(")
        ps = []
        while not self.at(")"):
            n = self.name()
            self.expect(":")
            ty = self.name()
            default = None
            if self.at("="):
                self.next()
                default = self.expr()
            ps.append((n, ty, default))
            if self.at(","):
                self.next()
        self.expect(")")
        return ps

    def args(self):
        self.expect("(")
        pos, named = [], {}
        while not self.at(")"):
            if self.peek().kind == "name" and self.at(":", 1):
                n = self.name()
                self.next()
                named[n] = self.expr()
            else:
                pos.append(self.expr())
            if self.at(","):
                self.next()
        self.expect(")")
        return pos, named

    def shape(self):
        dims = [self.primary()]
        while self.at("x"):
            self.next()
            dims.append(self.primary())
        return dims

    def body(self):
        self.expect("{")
        stmts = []
        while not self.at("}"):
            stmts.append(self.stmt())
        self.expect("}")
        return stmts

    def stmt(self):
        tok = self.peek()
        w = tok.text
        if w == "input":
            self.next()
            return ("input", self.shape())
        if w == "let":
            self.next()
            n = self.name()
            fparams = None
            if self.at("("):
                self.next()
                fparams = []
                while not self.at(")"):
                    fparams.append(self.name())
                    if self.at(","):
                        self.next()
                self.expect(")")
            self.expect("=")
            return ("let", n, fparams, self.expr())
        if w == "for":
            self.next()
            if self.at("("):
                self.next()
                names = []
                while not self.at(")"):
                    names.append(self.name())
                    if self.at(","):
                        self.next()
                self.expect(")")
            else:
                names = [self.name()]
            self.expect("in")
            a = self.expr()
            b = None
            if self.at(".."):
                self.next()
                b = self.expr()
            return ("for", names, a, b, self.body())
        if w == "repeat":
            self.next()
            n = self.expr()
            var = None
            if self.at("as"):
                self.next()
                var = self.name()
            return ("repeat", n, var, self.body())
        if w == "if":
            self.next()
            cond = self.expr()
            then = self.body()
            other = None
            if self.at("else"):
                self.next()
                other = [self.stmt()] if self.at("if") else self.body()
            return ("if", cond, then, other)
        if w in ("parallel", "split"):
            self.next()
            mode = "split"
            if w == "parallel":
                mode = self.name()
            return (w, mode, self.body(), self.label())
        if w == "path":
            self.next()
            return ("path", self.body())
        if w == "residual":
            self.next()
            args = ([], {})
            if self.at("(") and self.peek().glued:
                args = self.args()
            cond = None
            if self.at("when"):
                self.next()
                cond = self.expr()
            return ("residual", args, cond, self.body(), self.label())
        if w == "dense":
            self.next()
            n = self.expr()
            var = None
            if self.at("as"):
                self.next()
                var = self.name()
            return ("dense", n, var, self.body())
        if tok.kind == "name" and self.at(":", 1) and self.at("{", 2):
            n = self.name()
            self.next()
            return ("group", n, self.body())
        n = self.name()
        args = ([], {})
        if self.at("(") and self.peek().glued:
            args = self.args()
        return ("call", n, args, self.label(), tok.pos)

    def label(self):
        if self.at("as"):
            self.next()
            return self.name()
        return None

    # expressions -----------------------------------------------------------------------------------------
    def expr(self):
        c = self.binary(0)
        if self.at("?"):
            self.next()
            a = self.expr()
            self.expect(":")
            b = self.expr()
            return ("?", c, a, b)
        return c

    LEVELS = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "//", "div", "%"]]

    def binary(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek().kind in ("op", "name") and self.peek().text in self.LEVELS[level] \
                and (self.peek().kind == "op" or self.peek().text == "div"):
            op = self.next().text
            op = "//" if op == "div" else op
            left = ("bin", op, left, self.binary(level + 1))
        return left

    def unary(self):
        if self.peek().kind == "op" and self.peek().text in ("-", "!"):
            op = self.next().text
            return ("un", op, self.unary())
        return self.power()

    def power(self):
        base = self.postfix()
        if self.at("^"):
            self.next()
            return ("bin", "^", base, self.unary())
        return base

    def postfix(self):
        e = self.primary()
        while True:
            if self.at("(") and self.peek().glued:
                e = ("call", e, self.args())
            elif self.at("["):
                self.next()
                idx = self.expr()
                self.expect("]")
                e = ("index", e, idx)
            else:
                return e

    def primary(self):
        tok = self.next()
        if tok.kind == "num":
            return ("lit", float(tok.text) if re.search(r"[.eE]", tok.text) else int(tok.text))
        if tok.text == "(":
            items = [self.expr()]
            while self.at(","):
                self.next()
                items.append(self.expr())
            self.expect(")")
            return items[0] if len(items) == 1 else ("tuple", items)
        if tok.text == "[":
            items = []
            while not self.at("]"):
                items.append(self.expr())
                if self.at(","):
                    self.next()
            self.expect("]")
            return ("list", items)
        if tok.text in ("true", "false"):
            return ("lit", tok.text == "true")
        if tok.kind == "name":
            return ("name", tok.text)
        raise SyntaxError(f"unexpected {tok.text!r}")


# evaluation ----------------------------------------------------------------------------------------------

class Fn:
    def __init__(self, params, body, env):
        self.params, self.body, self.env = params, body, env


def divisible(x, d, mn=None):
    mn = d if mn is None else mn
    r = max(mn, int(x + d / 2) // d * d)
    return r + d if r < 0.9 * x else r


BUILTINS = {
    "min": min, "max": max, "abs": abs, "ceil": lambda x: int(math.ceil(x)), "floor": lambda x: int(math.floor(x)),
    "round": lambda x: int(round(x)), "len": len, "sum": sum, "divisible": divisible,
}


class Env:
    def __init__(self, parent=None, vars=None):
        self.parent, self.vars = parent, dict(vars or {})

    def get(self, n):
        e = self
        while e:
            if n in e.vars:
                return e.vars[n]
            e = e.parent
        if n in BUILTINS:
            return BUILTINS[n]
        if n in ACTS:
            return ("act", n)
        raise NameError(n)


def ev(e, env):
    k = e[0]
    if k == "lit":
        return e[1]
    if k == "name":
        return env.get(e[1])
    if k == "tuple" or k == "list":
        return [ev(x, env) for x in e[1]]
    if k == "index":
        return ev(e[1], env)[ev(e[2], env)]
    if k == "?":
        return ev(e[2], env) if ev(e[1], env) else ev(e[3], env)
    if k == "un":
        v = ev(e[2], env)
        return -v if e[1] == "-" else (not v)
    if k == "bin":
        op = e[1]
        if op == "&&":
            return ev(e[2], env) and ev(e[3], env)
        if op == "||":
            return ev(e[2], env) or ev(e[3], env)
        a, b = ev(e[2], env), ev(e[3], env)
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                "//": lambda: a // b, "%": lambda: a % b, "^": lambda: a ** b, "==": lambda: a == b,
                "!=": lambda: a != b, "<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b,
                ">=": lambda: a >= b}[op]()
    if k == "call":
        f = ev(e[1], env)
        pos = [ev(x, env) for x in e[2][0]]
        if isinstance(f, Fn):
            return ev(f.body, Env(f.env, dict(zip(f.params, pos))))
        return f(*pos)
    raise ValueError(e)


def whole(v, what):
    if isinstance(v, float):
        if v != int(v):
            raise ValueError(f"{what} is not whole: {v}")
        v = int(v)
    if v <= 0:
        raise ValueError(f"{what} is not positive: {v}")
    return v


class Counter:
    def __init__(self, decls, verbose=False):
        self.decls = {d[1]: d for d in decls}
        self.verbose = verbose

    def log(self, path, what, shape, p, m):
        if self.verbose:
            s = "x".join(map(str, shape))
            print(f"  {path:<60} {what:<12} {s:<14} {p:>11,} {m:>14,}")

    def bind(self, params, args, env, caller_env):
        pos, named = args
        vals = {}
        for i, (n, ty, default) in enumerate(params):
            if i < len(pos):
                vals[n] = ev(pos[i], caller_env)
            elif n in named:
                vals[n] = ev(named[n], caller_env)
            elif default is not None:
                vals[n] = ev(default, Env(env, vals))
            else:
                raise TypeError(f"missing argument {n}")
        unknown = set(named) - {p[0] for p in params}
        if unknown:
            raise TypeError(f"unknown arguments {unknown}")
        return vals

    def run_network(self, name):
        d = self.decls[name]
        if d[0] == "variant":
            base, args = d[2]
            bd = self.decls[base]
            vals = self.bind(bd[2], args, Env(), Env())
            inp = d[3]
            return self.run_net_body(bd, vals, inp)
        return self.run_net_body(d, self.bind(d[2], ([], {}), Env(), Env()), None)

    def run_net_body(self, d, vals, inp):
        env = Env(None, vals)
        self.params = self.macs = 0
        body = d[3]
        shape = None
        stmts = []
        for st in body:
            if st[0] == "input":
                if inp is None:
                    inp = st[1]
                    shape = None
                shape = "pending"
            stmts.append(st)
        # evaluate lets before input lazily: run statements, resolving input when met
        state = {"inp": inp}
        shape = self.seq(stmts, None, env, "", state)
        return shape

    def seq(self, stmts, shape, env, path, state, counter=None):
        env = Env(env)
        idx = counter if counter is not None else [0]
        for i, st in enumerate(stmts):
            nxt = stmts[i + 1] if i + 1 < len(stmts) else None
            shape = self.stmt(st, shape, env, path, state, idx, nxt)
        return shape

    def child(self, path, idx, label):
        if label:
            name = label
        else:
            name = str(idx[0])
            idx[0] += 1
        return f"{path}.{name}" if path else name

    def stmt(self, st, shape, env, path, state, idx, nxt):
        k = st[0]
        if shape is not None:
            env.vars["channels"] = shape[0]
        if k == "input":
            dims = [whole(ev(x, env), "input") for x in state["inp"]]
            env.vars["in"] = dims[0]
            return tuple(dims)
        if k == "let":
            if st[2] is None:
                env.vars[st[1]] = ev(st[3], env)
            else:
                env.vars[st[1]] = Fn(st[2], st[3], env)
            return shape
        if k == "for":
            names, a, b, body = st[1], st[2], st[3], st[4]
            items = list(range(ev(a, env), ev(b, env) + 1)) if b is not None else ev(a, env)
            for it in items:
                vals = dict(zip(names, it)) if len(names) > 1 else {names[0]: it}
                shape = self.seq(body, shape, Env(env, vals), path, state, idx)
            return shape
        if k == "repeat":
            for i in range(ev(st[1], env)):
                vals = {st[2]: i} if st[2] else {}
                shape = self.seq(st[3], shape, Env(env, vals), path, state, idx)
            return shape
        if k == "if":
            if ev(st[1], env):
                return self.seq(st[2], shape, env, path, state, idx)
            if st[3] is not None:
                return self.seq(st[3], shape, env, path, state, idx)
            return shape
        if k == "group":
            return self.seq(st[2], shape, env, self.child(path, idx, st[1]), state)
        if k in ("parallel", "split"):
            me = self.child(path, idx, st[3])
            paths = self.collect_paths(st[2], env)
            outs = []
            if k == "split":
                c = shape[0]
                part = c // len(paths)
                if part * len(paths) != c:
                    raise ValueError(f"split of {c} channels into {len(paths)} paths")
                ins = [(part,) + shape[1:]] * len(paths)
            else:
                ins = [shape] * len(paths)
            for j, ((body, penv), s) in enumerate(zip(paths, ins)):
                outs.append(self.seq(body, s, penv, f"{me}.path{j + 1}", state))
            if st[1] == "add":
                if len(set(outs)) != 1:
                    raise ValueError(f"add of {outs}")
                return outs[0]
            if len({o[1:] for o in outs}) != 1:
                raise ValueError(f"concat of {outs}")
            return (sum(o[0] for o in outs),) + outs[0][1:]
        if k == "residual":
            me = self.child(path, idx, st[4])
            args = st[1]
            project = ev(args[1]["project"], env) if "project" in args[1] else False
            use = ev(st[2], env) if st[2] is not None else True
            out = self.seq(st[3], shape, env, f"{me}.body", state)
            if use and out != shape:
                if not project:
                    raise ValueError(f"residual of {shape} -> {out}")
                s = shape[1] // out[1]
                p = shape[0] * out[0] + 2 * out[0]
                m = shape[0] * out[0] * out[1] * out[2]
                self.params += p
                self.macs += m
                self.log(f"{me}.shortcut", f"proj s{s}", out, p, m)
            return out
        if k == "dense":
            me = self.child(path, idx, None)
            n = ev(st[1], env)
            c = shape[0]
            for i in range(n):
                vals = {st[2]: i} if st[2] else {}
                o = self.seq(st[3], (c,) + shape[1:], Env(env, vals), f"{me}.layer{i + 1}", state)
                c += o[0]
            return (c,) + shape[1:]
        if k == "call":
            return self.call(st, shape, env, path, idx, nxt, state)
        raise ValueError(st)

    def collect_paths(self, stmts, env):
        out = []
        for st in stmts:
            if st[0] == "path":
                out.append((st[1], env))
            elif st[0] == "for":
                names, a, b, body = st[1], st[2], st[3], st[4]
                items = list(range(ev(a, env), ev(b, env) + 1)) if b is not None else ev(a, env)
                for it in items:
                    vals = dict(zip(names, it)) if len(names) > 1 else {names[0]: it}
                    out += self.collect_paths(body, Env(env, vals))
            elif st[0] == "repeat":
                for i in range(ev(st[1], env)):
                    out += self.collect_paths(st[3], Env(env, {st[2]: i} if st[2] else {}))
            elif st[0] == "if":
                if ev(st[1], env):
                    out += self.collect_paths(st[2], env)
                elif st[3] is not None:
                    out += self.collect_paths(st[3], env)
            elif st[0] == "let":
                env = Env(env)
                env.vars[st[1]] = ev(st[3], env) if st[2] is None else Fn(st[2], st[3], env)
            else:
                raise ValueError(f"{st[0]} inside parallel")
        return out

    LAYER_PARAMS = {
        "conv": ["out", "k", "s", "pad", "dilation", "groups", "bias"],
        "dwconv": ["k", "s", "pad", "dilation", "out", "bias"],
        "compconv": ["out", "k", "s", "d", "c0"],
        "linear": ["out", "bias"], "bn": ["eps", "momentum"],
        "maxpool": ["k", "s", "pad", "ceil"], "avgpool": ["k", "s", "pad", "ceil"],
        "flatten": [], "dropout": ["p"], "droppath": ["p"], "shuffle": ["groups"],
        "se": ["reduce", "squeeze", "act", "gate"], "crelu": [],
    }

    def call(self, st, shape, env, path, idx, nxt, state):
        _, name, args, label, pos = st
        try:
            v = env.get(name)
        except NameError:
            v = None
        if isinstance(v, tuple) and v[0] == "act":
            name = v[1]
        if name in ACTS:
            self.child(path, idx, label)
            return shape
        if name in self.decls:
            d = self.decls[name]
            me = self.child(path, idx, label)
            vals = self.bind(d[2], args, Env(), env)
            benv = Env(None, vals)
            benv.vars["in"] = shape[0]
            return self.seq(d[3], shape, benv, me, state)
        if name not in self.LAYER_PARAMS:
            raise NameError(f"unknown layer {name}")
        names = self.LAYER_PARAMS[name]
        a = {}
        for i, x in enumerate(args[0]):
            a[names[i]] = ev(x, env)
        for n, x in args[1].items():
            if n not in names:
                raise TypeError(f"{name}: unknown argument {n}")
            a[n] = ev(x, env)
        me = self.child(path, idx, label)
        next_is_bn = nxt is not None and nxt[0] == "call" and nxt[1] == "bn"
        p = m = 0
        if name in ("conv", "dwconv"):
            cin, h, w = shape
            k = a.get("k", 3 if name == "dwconv" else 1)
            s = a.get("s", 1)
            dil = a.get("dilation", 1)
            pad = a.get("pad", dil * (k - 1) // 2)
            if name == "dwconv":
                out = whole(a.get("out", cin), "dwconv out")
                groups = cin
            else:
                out = whole(a["out"], "conv out")
                groups = a.get("groups", 1)
            if cin % groups or out % groups:
                raise ValueError(f"groups {groups} vs {cin}->{out}")
            bias = a.get("bias", "auto")
            if bias == "auto":
                bias = not next_is_bn
            ho = (h + 2 * pad - dil * (k - 1) - 1) // s + 1
            wo = (w + 2 * pad - dil * (k - 1) - 1) // s + 1
            p = out * (cin // groups) * k * k + (out if bias else 0)
            m = out * (cin // groups) * k * k * ho * wo
            shape = (out, ho, wo)
        elif name == "compconv":
            cin, h, w = shape
            out = whole(a["out"], "compconv out")
            k = a.get("k", 3)
            s = a.get("s", 1)
            d = a.get("d")
            if d is None:
                d = min(int(math.floor(math.log2(max(1, cin / a.get("c0", 128))))) + 1, 3)
            pad = (k - 1) // 2
            ho = (h + 2 * pad - k) // s + 1
            wo = (w + 2 * pad - k) // s + 1
            if d == 0:
                p = out * cin * k * k
            else:
                P = math.ceil(out / (2 * (2 ** d - 1)))
                p = k * k * (cin * P + P * P * (4 ** d - 1) // 3)
            m = p * ho * wo
            shape = (out, ho, wo)
        elif name == "linear":
            if len(shape) != 1:
                raise ValueError("linear on unflattened features")
            out = whole(a["out"], "linear out")
            p = shape[0] * out + (out if a.get("bias", True) else 0)
            m = shape[0] * out
            shape = (out,)
        elif name == "bn":
            p = 2 * shape[0]
        elif name in ("maxpool", "avgpool"):
            if "k" not in a:
                shape = (shape[0], 1, 1)
            else:
                c, h, w = shape
                k = a["k"]
                s = a.get("s", k)
                pad = a.get("pad", 0)

                def size(x):
                    if a.get("ceil", False):
                        o = -(-(x + 2 * pad - k) // s) + 1
                        if (o - 1) * s >= x + pad:
                            o -= 1
                        return o
                    return (x + 2 * pad - k) // s + 1
                shape = (c, size(h), size(w))
        elif name == "flatten":
            shape = (math.prod(shape),)
        elif name == "shuffle":
            if shape[0] % a["groups"]:
                raise ValueError("shuffle groups")
        elif name == "se":
            c = shape[0]
            s_ = a["squeeze"] if "squeeze" in a else max(1, c // a.get("reduce", 4))
            p = 2 * c * s_ + s_ + c
            m = 2 * c * s_
        elif name == "crelu":
            shape = (2 * shape[0],) + shape[1:]
        self.params += p
        self.macs += m
        self.log(me, name, shape, p, m)
        return shape


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("-n", "--name", action="append")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--check", help="reference.json to compare against")
    args = ap.parse_args()
    decls = []
    for f in args.files:
        decls += Parser(open(f).read()).file()
    c = Counter(decls, args.verbose)
    ref = json.load(open(args.check)) if args.check else {}
    names = args.name or [d[1] for d in decls if d[0] in ("network", "variant")]
    bad = 0
    for n in names:
        try:
            out = c.run_network(n)
        except Exception as e:  # noqa
            print(f"{n:<26} ERROR {type(e).__name__}: {e}")
            bad += 1
            continue
        line = f"{n:<26} params {c.params:>12,}  MACs {c.macs / 1e6:>10.2f} M  out {out}"
        if n in ref:
            r = ref[n]
            dp = (c.params - r["params"]) / r["params"]
            dm = (c.macs - r["macs"]) / r["macs"]
            okp = abs(dp) <= r["params_tolerance"] + 1e-12
            okm = abs(dm) <= r["macs_tolerance"] + 1e-12
            line += f"  ref {r['params']:,} ({dp:+.2%}) {'ok' if okp else 'MISMATCH'}, " \
                    f"{r['macs'] / 1e6:.2f} M ({dm:+.2%}) {'ok' if okm else 'MISMATCH'}"
            bad += (not okp) + (not okm)
        print(line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
