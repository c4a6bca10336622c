#include "analysis/decompile.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "grammar/keywords.hpp"

namespace secretc {

namespace {

// The words a condition is printed with, from grammar/keywords.def.
struct Words {
  std::string_view and_, or_, not_, in, not_in, is_known, is_unknown, true_, false_;
};

constexpr Words words_in(TextLang l) {
  return {keyword_text(Kw::And, l),       keyword_text(Kw::Or, l),    keyword_text(Kw::Not, l),
          keyword_text(Kw::In, l),        keyword_text(Kw::NotIn, l), keyword_text(Kw::IsKnown, l),
          keyword_text(Kw::IsUnknown, l), keyword_text(Kw::True, l),  keyword_text(Kw::False, l)};
}
constexpr Words kFrench = words_in(TextLang::French);
constexpr Words kEnglish = words_in(TextLang::English);

const Words& words(Keywords k) {
  return k == Keywords::French ? kFrench : kEnglish;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The instruction that last wrote each slot before `end` (code is straight-line; temporaries are
// written once).
std::vector<std::int64_t> writers_before(const Program& p, std::size_t end) {
  std::vector<std::int64_t> def(p.slot_types.size(), -1);
  for (std::size_t i = 0; i < end && i < p.code.size(); ++i) {
    const Instr& in = p.code[i];
    if (opcode_info(in.op).a == OperandKind::DST && in.a < def.size()) def[in.a] = static_cast<std::int64_t>(i);
  }
  return def;
}

// An expression rebuilt from the code, before printing.
struct Node {
  enum class Kind : std::uint8_t { Name, Literal, Not, And, Or, Compare, In, Members, Known };
  Kind kind = Kind::Name;
  std::string text;  // Name, Literal; Compare: the operator
  std::vector<Node> kids;
  std::vector<std::string> items;  // Members: `x dans { items }`
  bool negated = false;            // In, Members: `pas dans`; Known: `est inconnu`
};

Node make(Node::Kind kind, std::string text = {}) {
  Node n;
  n.kind = kind;
  n.text = std::move(text);
  return n;
}

class Decompiler {
 public:
  Decompiler(const Program& p, Keywords k) : p_(p), k_(k), w_(words(k)) {}

  // The expression computed in `slot` just before instruction `at`; `root`: print a named slot's body
  // rather than its name.
  std::string text(std::uint32_t slot, std::size_t at, bool root) {
    def_ = writers_before(p_, at);
    return print(build(slot, root), 0);
  }

 private:
  [[nodiscard]] const Instr* def(std::uint32_t slot) const {
    if (slot >= def_.size() || def_[slot] < 0) return nullptr;
    return &p_.code[static_cast<std::size_t>(def_[slot])];
  }

  [[nodiscard]] bool named(std::uint32_t slot) const {
    return slot < p_.facts.size() || (slot < p_.slot_names.size() && !p_.slot_names[slot].empty());
  }

  [[nodiscard]] std::string name(std::uint32_t slot) const {
    if (slot < p_.facts.size()) return p_.facts[slot].name;
    return p_.slot_names[slot];
  }

  [[nodiscard]] std::optional<std::string> constant_of(std::uint32_t slot) const {
    const Instr* in = def(slot);
    if (in == nullptr || in->op != Opcode::Const || in->b >= p_.constants.size()) return std::nullopt;
    return rule_literal(p_, p_.constant_types[in->b], p_.constants[in->b], k_);
  }

  // `x == k` or `k1 <= x <= k2` (as lowering writes a range: `x >= k1 et x <= k2`): the item and x.
  std::optional<std::pair<std::uint32_t, std::string>> set_item(std::uint32_t slot) const {
    const Instr* in = def(slot);
    if (in == nullptr || named(slot)) return std::nullopt;
    if (in->op == Opcode::Eq) {
      if (auto k = constant_of(in->c)) return std::make_pair(in->b, *k);
      return std::nullopt;
    }
    if (in->op != Opcode::And) return std::nullopt;
    const Instr* lo = named(in->b) ? nullptr : def(in->b);
    const Instr* hi = named(in->c) ? nullptr : def(in->c);
    if (lo == nullptr || hi == nullptr || lo->op != Opcode::Ge || hi->op != Opcode::Le || lo->b != hi->b)
      return std::nullopt;
    const auto a = constant_of(lo->c), b = constant_of(hi->c);
    if (!a || !b) return std::nullopt;
    return std::make_pair(lo->b, fmt::format("{} .. {}", *a, *b));
  }

  // Lowering turns `x dans { a, b .. c }` over articles, dates or integers into `x == a ou (x >= b et
  // x <= c)`: read it back as a membership when every leaf of the `ou` tests the same x.
  std::optional<Node> membership(std::uint32_t slot) {
    std::vector<std::uint32_t> leaves;
    collect(slot, Opcode::Or, leaves, true, true);
    std::optional<std::uint32_t> x;
    std::vector<std::string> items;
    for (const std::uint32_t leaf : leaves) {
      const auto item = set_item(leaf);
      if (!item || (x && *x != item->first)) return std::nullopt;
      x = item->first;
      items.push_back(item->second);
    }
    const Instr* in = def(slot);
    if (!x || (leaves.size() == 1 && in != nullptr && in->op == Opcode::Eq)) return std::nullopt;
    Node n = make(Node::Kind::Members);
    n.kids.push_back(build(*x, false));
    n.items = std::move(items);
    return n;
  }

  // The operands of a chain of one associative operator, not looking inside named slots nor inside
  // what reads back as a membership (`x dans { … }`).
  void collect(std::uint32_t slot, Opcode op, std::vector<std::uint32_t>& out, bool root, bool raw = false) const {
    const Instr* in = def(slot);
    if (in != nullptr && in->op == op && (root || (!named(slot) && (raw || !is_membership(slot))))) {
      collect(in->b, op, out, false, raw);
      collect(in->c, op, out, false, raw);
    } else {
      out.push_back(slot);
    }
  }

  [[nodiscard]] bool is_membership(std::uint32_t slot) const {
    const Instr* in = def(slot);
    if (in == nullptr || (in->op != Opcode::Or && in->op != Opcode::And)) return false;
    std::vector<std::uint32_t> leaves;
    collect(slot, Opcode::Or, leaves, true, true);
    std::optional<std::uint32_t> x;
    for (const std::uint32_t leaf : leaves) {
      const auto item = set_item(leaf);
      if (!item || (x && *x != item->first)) return false;
      x = item->first;
    }
    return x.has_value();
  }

  Node build(std::uint32_t slot, bool root) {
    if (!root && named(slot)) return make(Node::Kind::Name, name(slot));
    const Instr* in = def(slot);
    if (in == nullptr) return make(Node::Kind::Name, named(slot) ? name(slot) : fmt::format("r{}", slot));
    switch (in->op) {
      case Opcode::Const:
        return make(Node::Kind::Literal, constant_of(slot).value_or("?"));
      case Opcode::Move:
        return build(in->b, false);
      case Opcode::LoadOutput:
        return make(Node::Kind::Name, in->b < p_.outputs.size() ? p_.outputs[in->b].name : "?");
      case Opcode::Not: {
        Node inner = build(in->b, false);
        if (inner.kind == Node::Kind::In || inner.kind == Node::Kind::Members || inner.kind == Node::Kind::Known) {
          inner.negated = !inner.negated;
          return inner;
        }
        Node n = make(Node::Kind::Not);
        n.kids.push_back(std::move(inner));
        return n;
      }
      case Opcode::And:
      case Opcode::Or: {
        if (auto m = membership(slot)) return *m;
        std::vector<std::uint32_t> parts;
        collect(slot, in->op, parts, true);
        Node n = make(in->op == Opcode::And ? Node::Kind::And : Node::Kind::Or);
        for (const std::uint32_t s : parts) n.kids.push_back(build(s, false));
        return n;
      }
      case Opcode::Ne:
        // Lowering writes membership in an empty set as `x != x` (false, or unknown with x).
        if (in->b == in->c) {
          Node n = make(Node::Kind::Members);
          n.kids.push_back(build(in->b, false));
          return n;
        }
        [[fallthrough]];
      case Opcode::Eq:
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge: {
        static constexpr std::array<const char*, 6> kOps{"==", "!=", "<", "<=", ">", ">="};
        Node n =
            make(Node::Kind::Compare, kOps[static_cast<std::size_t>(in->op) - static_cast<std::size_t>(Opcode::Eq)]);
        n.kids.push_back(build(in->b, false));
        n.kids.push_back(build(in->c, false));
        return n;
      }
      case Opcode::In: {
        Node n = make(Node::Kind::In);
        n.kids.push_back(build(in->b, false));
        n.kids.push_back(build(in->c, false));
        // A set written in the condition is read back as written; a named one (`définition x = { … }`)
        // by its name, as the rule file writes it.
        if (const auto k = constant_of(in->c); k && !named(in->c)) n.kids[1] = make(Node::Kind::Literal, *k);
        return n;
      }
      case Opcode::Known: {
        Node n = make(Node::Kind::Known);
        n.kids.push_back(build(in->b, false));
        return n;
      }
      case Opcode::Proviso:
      case Opcode::Fire:
      case Opcode::Resolve:
      case Opcode::Count_:
        break;
    }
    return make(Node::Kind::Name, "?");
  }

  // Precedence: ou 1, et 2, non 3, comparisons and names above.
  static int precedence(const Node& n) {
    switch (n.kind) {
      case Node::Kind::Or:
        return 1;
      case Node::Kind::And:
        return 2;
      case Node::Kind::Not:
        return 3;
      default:
        return 4;
    }
  }

  std::string print(const Node& n, int context) {
    std::string out;
    const auto operand = [&](const Node& kid) {
      const bool atom = kid.kind == Node::Kind::Name || kid.kind == Node::Kind::Literal;
      return atom ? print(kid, 0) : "(" + print(kid, 0) + ")";
    };
    switch (n.kind) {
      case Node::Kind::Name:
      case Node::Kind::Literal:
        out = n.text;
        break;
      case Node::Kind::Not:
        out = fmt::format("{} {}", w_.not_, operand(n.kids[0]));
        break;
      case Node::Kind::And:
      case Node::Kind::Or: {
        const std::string_view op = n.kind == Node::Kind::And ? w_.and_ : w_.or_;
        for (std::size_t i = 0; i < n.kids.size(); ++i) {
          if (i > 0) out += fmt::format(" {} ", op);
          out += print(n.kids[i], 3);  // `et` inside `ou` (or the reverse) in parentheses, for the reader
        }
        break;
      }
      case Node::Kind::Compare:
        out = fmt::format("{} {} {}", operand(n.kids[0]), n.text, operand(n.kids[1]));
        break;
      case Node::Kind::In:
        out = fmt::format("{} {} {}", operand(n.kids[0]), n.negated ? w_.not_in : w_.in, print(n.kids[1], 0));
        break;
      case Node::Kind::Members: {
        std::string items;
        for (const auto& item : n.items) items += (items.empty() ? "" : ", ") + item;
        out = fmt::format("{} {} {{ {} }}", operand(n.kids[0]), n.negated ? w_.not_in : w_.in, items);
        if (items.empty()) out = fmt::format("{} {} {{ }}", operand(n.kids[0]), n.negated ? w_.not_in : w_.in);
        break;
      }
      case Node::Kind::Known:
        out = fmt::format("{} {}", operand(n.kids[0]), n.negated ? w_.is_unknown : w_.is_known);
        break;
    }
    return precedence(n) < context ? "(" + out + ")" : out;
  }

  const Program& p_;
  Keywords k_;
  const Words& w_;
  std::vector<std::int64_t> def_;
};

}  // namespace

Keywords keywords_of(const Program& program) {
  return program.written_in() == TextLang::English ? Keywords::English : Keywords::French;
}

std::optional<Keywords> keywords_of_source(std::string_view text) {
  // The keywords a declaration starts with.
  static constexpr std::array<Kw, 6> kDeclarations{Kw::Rulebase, Kw::Enum, Kw::Fact, Kw::Define, Kw::Output, Kw::Rule};
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t start = line.find_first_not_of(" \t\r\xEF\xBB\xBF");
    if (start == std::string_view::npos || line[start] == '#') continue;
    const std::string_view word = line.substr(start, line.find_first_of(" \t\r", start) - start);
    for (const TextLang lang : {TextLang::English, TextLang::French}) {
      for (const Kw kw : kDeclarations) {
        if (keyword_has_spelling(kw, lang, word))
          return lang == TextLang::English ? Keywords::English : Keywords::French;
      }
    }
  }
  return std::nullopt;
}

std::vector<RuleCode> rule_code(const Program& p) {
  std::vector<RuleCode> out(p.rules.size());
  std::vector<std::int64_t> def(p.slot_types.size(), -1);
  for (std::size_t i = 0; i < p.code.size(); ++i) {
    const Instr& in = p.code[i];
    if (in.op == Opcode::Fire && in.a < p.rules.size()) {
      RuleCode& rc = out[in.a];
      rc.when_slot = in.b;
      // `quand` absent: lowering fires on the constant true.
      const std::int64_t d = in.b < def.size() ? def[in.b] : -1;
      if (d >= 0 && p.code[static_cast<std::size_t>(d)].op == Opcode::Const) {
        const std::uint32_t k = p.code[static_cast<std::size_t>(d)].b;
        if (k < p.constants.size() && p.constant_types[k].kind == TypeKind::Bool && p.constants[k].known &&
            p.constants[k].payload == 1) {
          rc.when_slot.reset();
        }
      }
    }
    if (opcode_info(in.op).a == OperandKind::DST && in.a < def.size()) def[in.a] = static_cast<std::int64_t>(i);
  }
  return out;
}

Decompiled decompile(const Program& p, Keywords keywords) {
  Decompiled out;
  out.when.resize(p.rules.size());
  out.provisos.resize(p.proviso_count());
  Decompiler d(p, keywords);
  const std::vector<RuleCode> codes = rule_code(p);
  for (std::size_t i = 0; i < p.code.size(); ++i) {
    const Instr& in = p.code[i];
    // A condition that is a definition alone (`quand tenu`) reads as its name: the definition is
    // shown, and compared, once.
    if (in.op == Opcode::Fire && in.a < p.rules.size() && codes[in.a].when_slot) {
      out.when[in.a] = d.text(*codes[in.a].when_slot, i, false);
    }
    if (in.op == Opcode::Proviso && in.a < out.provisos.size()) out.provisos[in.a] = d.text(in.b, i, false);
    // A definition is a named slot written by an instruction other than `loadout` (which names the
    // output it loads).
    if (opcode_info(in.op).a == OperandKind::DST && in.op != Opcode::LoadOutput && in.a >= p.facts.size() &&
        in.a < p.slot_names.size() && !p.slot_names[in.a].empty()) {
      out.definitions.push_back({p.slot_names[in.a], in.a, d.text(in.a, i + 1, true)});
    }
  }
  return out;
}

std::string rule_literal(const Program& p, Type type, const Value& v, Keywords keywords) {
  if (!v.known) return "?";
  switch (type.kind) {
    case TypeKind::Bool:
      return std::string(v.payload != 0 ? words(keywords).true_ : words(keywords).false_);
    case TypeKind::Article:
      return format_article(v.payload);
    case TypeKind::String: {
      const auto id = static_cast<std::size_t>(v.payload);
      return id < p.strings.size() ? quoted(p.strings[id]) : std::string("\"…\"");
    }
    default:
      return p.format_value(type, v);
  }
}

std::string case_literal(const Program& p, Type type, const Value& v, Keywords keywords) {
  if (!v.known) return "?";
  switch (type.kind) {
    case TypeKind::Bool:
      return std::string(v.payload != 0 ? words(keywords).true_ : words(keywords).false_);
    case TypeKind::Article:
      return quoted(format_article(v.payload));
    default:
      return rule_literal(p, type, v, keywords);
  }
}

std::string effects_text(const Program& p, const RuleInfo& rule) {
  std::string out;
  for (const Effect& e : rule.effects) {
    if (!out.empty()) out += ", ";
    if (e.output >= p.outputs.size()) continue;
    const OutputInfo& o = p.outputs[e.output];
    const Value v = Value::of(static_cast<std::int64_t>(e.value));
    if (o.kind == OutputKind::Set) {
      out += fmt::format("{} += {}", o.name, p.format_value({TypeKind::Set, o.enum_id}, v));
    } else {
      out += fmt::format("{} = {}", o.name, p.format_value({TypeKind::Enum, o.enum_id}, v));
    }
  }
  return out;
}

std::string validity_text(const RuleInfo& r, Keywords keywords) {
  const TextLang l = keywords == Keywords::French ? TextLang::French : TextLang::English;
  std::string out;
  if (r.valid_from && r.valid_until) {
    out = fmt::format("{} {} {} {}", keyword_text(Kw::ValidFrom, l), format_date(*r.valid_from),
                      keyword_text(Kw::Until, l), format_date(*r.valid_until));
  } else if (r.valid_from) {
    out = fmt::format("{} {}", valid_from_alone_text(l), format_date(*r.valid_from));
  } else if (r.valid_until) {
    out = fmt::format("{} {}", keyword_text(Kw::ValidUntil, l), format_date(*r.valid_until));
  } else {
    return {};
  }
  if (!r.validity_reason.empty()) out += " " + quoted(r.validity_reason);
  return out;
}

}  // namespace secretc
