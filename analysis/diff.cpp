#include "analysis/diff.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "grammar/keywords.hpp"

namespace secretc {

namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string backticked(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(fmt::format("`{}`", n));
  return join(out);
}

// A type as a declaration writes it, in the rulebase's keywords.
TextLang lang_of(Keywords k) {
  return k == Keywords::French ? TextLang::French : TextLang::English;
}
std::string word(Kw id, Keywords k) {
  return std::string(keyword_text(id, lang_of(k)));
}

std::string type_text(const Program& p, Type t, Keywords k) {
  const std::string e = t.enum_id < p.enums.size() ? p.enums[t.enum_id].name : "?";
  switch (t.kind) {
    case TypeKind::Bool:
      return word(Kw::Bool, k);
    case TypeKind::Integer:
      return word(Kw::Integer, k);
    case TypeKind::Date:
      return word(Kw::Date, k);
    case TypeKind::String:
      return word(Kw::String, k);
    case TypeKind::Article:
      return word(Kw::Article, k);
    case TypeKind::Enum:
      return e;
    case TypeKind::Set:
      return word(Kw::SetOf, k) + " " + e;
  }
  return "?";
}

std::string fact_default(const Program& p, const FactInfo& f, Keywords k) {
  if (f.default_kind == DefaultKind::Today) return word(Kw::Today, k);
  if (f.default_kind == DefaultKind::Constant) return rule_literal(p, f.type, f.default_value, k);
  return {};
}

std::string fact_declaration(const Program& p, const FactInfo& f, Keywords k) {
  std::string out = fmt::format("{} {} : {}", word(Kw::Fact, k), f.name, type_text(p, f.type, k));
  if (const std::string d = fact_default(p, f, k); !d.empty()) out += " = " + d;
  if (!f.question.empty()) out += " " + quoted(f.question);
  return out;
}

std::string output_type(const Program& p, const OutputInfo& o, Keywords k) {
  return type_text(p, {o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id}, k);
}

std::string output_default(const Program& p, const OutputInfo& o) {
  if (!o.has_default || o.enum_id >= p.enums.size()) return {};
  return p.enums[o.enum_id].members.at(o.default_member);
}

// `dans le doute a, b`: the members, from the most cautious.
std::string output_doubt(const Program& p, const OutputInfo& o) {
  std::vector<std::string> members;
  for (const std::uint32_t m : o.doubt) {
    if (o.enum_id < p.enums.size() && m < p.enums[o.enum_id].members.size())
      members.push_back(p.enums[o.enum_id].members[m]);
  }
  return join(members);
}

std::string output_declaration(const Program& p, const OutputInfo& o, Keywords k) {
  std::string out = fmt::format("{} {} : {}", word(Kw::Output, k), o.name, output_type(p, o, k));
  if (const std::string d = output_default(p, o); !d.empty()) out += " = " + d;
  if (const std::string d = output_doubt(p, o); !d.empty()) {
    out += fmt::format(" {} {}", word(Kw::InDoubt, k), d);
  }
  return out;
}

std::string enum_declaration(const EnumInfo& e, Keywords k) {
  std::vector<std::string> members;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    const bool labelled = m < e.labels.size() && !e.labels[m].empty();
    members.push_back(labelled ? fmt::format("{} {}", e.members[m], quoted(e.labels[m])) : e.members[m]);
  }
  return fmt::format("{} {} {{ {} }}", word(Kw::Enum, k), e.name, join(members));
}

std::string where(const RuleInfo& r) {
  return r.source_file.empty() ? std::string() : fmt::format("{}:{}", r.source_file, r.source_line);
}

std::vector<std::string> rule_names(const Program& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (const std::uint32_t r : rules) out.push_back(p.rules[r].name);
  std::sort(out.begin(), out.end());
  return out;
}

// The provisos of a rule as its `pourvu que` clauses read, one per line: `EXPR "texte"`.
std::string provisos_text(const Program& p, std::uint32_t r, const Decompiled& d) {
  std::size_t first = 0;
  for (std::uint32_t s = 0; s < r; ++s) first += p.rules[s].provisos.size();
  std::string out;
  for (std::size_t k = 0; k < p.rules[r].provisos.size(); ++k) {
    const std::string& text = p.rules[r].provisos[k].text;
    const std::string& expr = first + k < d.provisos.size() ? d.provisos[first + k] : std::string("?");
    out += (out.empty() ? "" : "\n") + expr + (text.empty() ? "" : " " + quoted(text));
  }
  return out;
}

RuleText rule_text(const Program& p, std::uint32_t r, const Decompiled& d, Keywords k) {
  const RuleInfo& rule = p.rules[r];
  RuleText t{rule.name, where(rule), rule.kind == RuleKind::Warning, {}};
  const auto add = [&](const char* clause, const std::string& text) {
    if (!text.empty()) t.clauses.emplace_back(clause, text);
  };
  add("title", rule.title.empty() ? "" : quoted(rule.title));
  add("cite", rule.cite.empty() ? "" : quoted(rule.cite));
  add("validity", validity_text(rule, k));
  add("overrides", join(rule_names(p, rule.overrides)));
  add("when", d.when[r]);
  add("provided", provisos_text(p, r, d));
  add("then", effects_text(p, rule));
  add("because", rule.because.empty() ? "" : quoted(rule.because));
  add("note", rule.note.empty() ? "" : quoted(rule.note));
  return t;
}

// The texts of a condition or a definition cut at the sets they write: the text outside the braces,
// and each set's items.
struct SetsCut {
  std::string outside;
  std::vector<std::vector<std::string>> sets;
};

SetsCut cut_at_sets(const std::string& text) {
  SetsCut out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find("{ ", at);
    const auto close = open == std::string::npos ? std::string::npos : text.find(" }", open);
    if (close == std::string::npos) {
      out.outside += text.substr(at);
      break;
    }
    out.outside += text.substr(at, open - at) + "{}";
    std::vector<std::string> items;
    std::string_view inner(text.data() + open + 2, close - open - 2);
    while (!inner.empty()) {
      const auto comma = inner.find(", ");
      items.emplace_back(inner.substr(0, comma));
      if (comma == std::string_view::npos) break;
      inner.remove_prefix(comma + 2);
    }
    out.sets.push_back(std::move(items));
    at = close + 2;
  }
  return out;
}

// Two texts that differ only inside the sets they write: the items removed and added, else nothing.
void set_items_delta(ClauseChange& c) {
  const SetsCut a = cut_at_sets(c.old_text), b = cut_at_sets(c.new_text);
  if (a.sets.empty() || a.outside != b.outside || a.sets.size() != b.sets.size()) return;
  for (std::size_t k = 0; k < a.sets.size(); ++k) {
    for (const auto& item : a.sets[k]) {
      if (std::find(b.sets[k].begin(), b.sets[k].end(), item) == b.sets[k].end()) c.items_removed.push_back(item);
    }
    for (const auto& item : b.sets[k]) {
      if (std::find(a.sets[k].begin(), a.sets[k].end(), item) == a.sets[k].end()) c.items_added.push_back(item);
    }
  }
}

// What a rule's `quand` and provisos read besides facts: the definitions (by name, through other
// definitions too) and the outputs (`duty == professional_secrecy`).
struct RuleReads {
  std::vector<std::string> definitions;
  std::vector<std::uint32_t> outputs;
};

std::vector<RuleReads> rule_reads(const Program& p) {
  const std::size_t n = p.slot_types.size();
  std::vector<RuleReads> slot(n), out(p.rules.size());
  std::vector<bool> loaded(n, false);  // written by `loadout`: an output, not a definition
  std::vector<std::uint32_t> proviso_rule;
  for (std::uint32_t r = 0; r < p.rules.size(); ++r)
    proviso_rule.insert(proviso_rule.end(), p.rules[r].provisos.size(), r);
  const auto add = [](RuleReads& into, const RuleReads& from) {
    for (const auto& d : from.definitions) {
      if (std::find(into.definitions.begin(), into.definitions.end(), d) == into.definitions.end())
        into.definitions.push_back(d);
    }
    for (const auto o : from.outputs) {
      if (std::find(into.outputs.begin(), into.outputs.end(), o) == into.outputs.end()) into.outputs.push_back(o);
    }
  };
  // What reading a slot reads: what computed it, and the definition itself when it is one.
  const auto of = [&](std::uint32_t s) {
    RuleReads r = s < n ? slot[s] : RuleReads{};
    if (s < n && s >= p.facts.size() && s < p.slot_names.size() && !p.slot_names[s].empty() && !loaded[s]) {
      add(r, RuleReads{{p.slot_names[s]}, {}});
    }
    return r;
  };
  for (const Instr& in : p.code) {
    const OpcodeInfo& info = opcode_info(in.op);
    if (in.op == Opcode::Fire) {
      if (in.a < out.size()) add(out[in.a], of(in.b));
    } else if (in.op == Opcode::Proviso) {
      if (in.a < proviso_rule.size()) add(out[proviso_rule[in.a]], of(in.b));
    } else if (in.op == Opcode::LoadOutput) {
      if (in.a < n) {
        loaded[in.a] = true;
        slot[in.a] = RuleReads{{}, {in.b}};
      }
    } else if (info.a == OperandKind::DST && in.a < n) {
      RuleReads r;
      if (info.b == OperandKind::SRC) add(r, of(in.b));
      if (info.c == OperandKind::SRC) add(r, of(in.c));
      slot[in.a] = std::move(r);
    }
  }
  for (auto& r : out) std::sort(r.definitions.begin(), r.definitions.end());
  return out;
}

std::string file_word(std::string s) {
  for (char& c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') c = '_';
  }
  return s;
}

}  // namespace

std::string answer_text(const Decision& d, bool provisos) {
  std::string out;
  if (d.conflict) {
    out = "(conflict)";
  } else {
    out = d.value.empty() ? "(unknown)" : d.value;
    if (!d.settled) out += fmt::format(" (not settled: {}{})", join(d.possible), d.may_be_unknown ? " or none" : "");
  }
  for (const std::string& p : provisos ? d.provisos : std::vector<std::string>{})
    out += fmt::format(", provided {}", quoted(p));
  return out;
}

std::string cause_text(const DiffReport& report, const std::vector<CauseItem>& cause) {
  if (cause.empty()) return "not traced to a changed rule or declaration";
  std::vector<std::string> parts;
  for (const CauseItem& item : cause) {
    const std::string kind = item.kind == "rule" ? word(Kw::Rule, report.keywords) : item.kind;
    std::string change = item.change;
    // A set that lost or gained items: which.
    const auto marks = [&](const ClauseChange& c) {
      std::vector<std::string> said;
      if (!c.items_removed.empty()) said.push_back(fmt::format("{} removed", join(c.items_removed)));
      if (!c.items_added.empty()) said.push_back(fmt::format("{} added", join(c.items_added)));
      if (!said.empty()) change += ": " + join(said, "; ");
    };
    if (item.kind == "rule" && item.change == "changed") {
      for (const RuleChange& r : report.changed) {
        if (r.name != item.name) continue;
        for (const ClauseChange& c : r.changes) {
          if (c.clause == "when") marks(c);
        }
      }
    } else if (item.change == "changed") {
      for (const VocabularyChange& v : report.vocabulary) {
        if (v.kind != item.kind || v.name != item.name) continue;
        for (const ClauseChange& c : v.details) {
          if (c.clause == "body") marks(c);
        }
      }
    }
    parts.push_back(fmt::format("{} {} ({})", kind, item.name, change));
  }
  return join(parts);
}

namespace {

class Differ {
 public:
  Differ(const Program& o, const Program& n, const DiffOptions& options)
      : old_(o),
        new_(n),
        options_(options),
        space_(ctx_, {&o, &n}),
        old_sym_(smt::encode(ctx_, o, space_.fact_slots(0))),
        new_sym_(smt::encode(ctx_, n, space_.fact_slots(1))),
        search_(ctx_, space_, options.timeout_ms) {
    report_.keywords = options.keywords.value_or(keywords_of(n));
    old_text_ = decompile(o, report_.keywords);
    new_text_ = decompile(n, report_.keywords);
  }

  std::variant<DiffReport, std::string> run() {
    report_.old_header = header(old_, options_.old_label);
    report_.new_header = header(new_, options_.new_label);
    vocabulary();
    rules();
    deltas();
    if (!behaviour()) return error_;
    finish();
    return std::move(report_);
  }

 private:
  static ProgramHeader header(const Program& p, const std::string& label) {
    return {label, p.name, p.version, fmt::format("{:016x}", p.source_hash)};
  }

  // ----- text ------------------------------------------------------------------------------------

  void vocabulary() {
    const Keywords k = report_.keywords;
    if (old_.name != new_.name || old_.version != new_.version || old_.law_as_of != new_.law_as_of) {
      VocabularyChange v{"rulebase", new_.name, "changed", {}};
      if (old_.name != new_.name) v.details.push_back({"name", quoted(old_.name), quoted(new_.name), false, {}, {}});
      if (old_.version != new_.version)
        v.details.push_back({"version", quoted(old_.version), quoted(new_.version), false, {}, {}});
      if (old_.law_as_of != new_.law_as_of) {
        const auto day = [](const std::optional<std::int64_t>& d) { return d ? format_date(*d) : std::string(); };
        v.details.push_back({"as of", day(old_.law_as_of), day(new_.law_as_of), false, {}, {}});
      }
      report_.vocabulary.push_back(std::move(v));
    }
    // Enumerations, by name.
    for (const EnumInfo& e : old_.enums) {
      const auto it =
          std::find_if(new_.enums.begin(), new_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; });
      if (it == new_.enums.end()) {
        report_.vocabulary.push_back(
            {"enum", e.name, "removed", {{"declaration", enum_declaration(e, k), "", false, {}, {}}}});
        continue;
      }
      std::vector<std::string> gone, came;
      for (const auto& m : e.members) {
        if (std::find(it->members.begin(), it->members.end(), m) == it->members.end()) gone.push_back(m);
      }
      for (const auto& m : it->members) {
        if (std::find(e.members.begin(), e.members.end(), m) == e.members.end()) came.push_back(m);
      }
      VocabularyChange v{"enum", e.name, "changed", {}};
      if (!gone.empty() || !came.empty()) v.details.push_back({"members", join(gone), join(came), false, {}, {}});
      if (enum_declaration(e, k) != enum_declaration(*it, k) && gone.empty() && came.empty()) {
        v.details.push_back({"labels", enum_declaration(e, k), enum_declaration(*it, k), false, {}, {}});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const EnumInfo& e : new_.enums) {
      if (std::none_of(old_.enums.begin(), old_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; })) {
        report_.vocabulary.push_back(
            {"enum", e.name, "added", {{"declaration", "", enum_declaration(e, k), false, {}, {}}}});
      }
    }
    // Facts, by name.
    for (const FactInfo& f : old_.facts) {
      const auto nf = new_.find_fact(f.name);
      if (!nf) {
        report_.vocabulary.push_back(
            {"fact", f.name, "removed", {{"declaration", fact_declaration(old_, f, k), "", false, {}, {}}}});
        continue;
      }
      const FactInfo& g = new_.facts[*nf];
      VocabularyChange v{"fact", f.name, "changed", {}};
      const std::string ot = type_text(old_, f.type, k), nt = type_text(new_, g.type, k);
      if (ot != nt || f.type.kind != g.type.kind) v.details.push_back({"type", ot, nt, false, {}, {}});
      const std::string od = fact_default(old_, f, k), nd = fact_default(new_, g, k);
      if (od != nd) v.details.push_back({"default", od, nd, false, {}, {}});
      if (f.question != g.question)
        v.details.push_back({"question", quoted(f.question), quoted(g.question), false, {}, {}});
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const FactInfo& f : new_.facts) {
      if (!old_.find_fact(f.name)) {
        report_.vocabulary.push_back(
            {"fact", f.name, "added", {{"declaration", "", fact_declaration(new_, f, k), false, {}, {}}}});
      }
    }
    // Outputs, by name.
    for (const OutputInfo& o : old_.outputs) {
      const auto no = new_.find_output(o.name);
      if (!no) {
        report_.vocabulary.push_back(
            {"output", o.name, "removed", {{"declaration", output_declaration(old_, o, k), "", false, {}, {}}}});
        continue;
      }
      const OutputInfo& g = new_.outputs[*no];
      VocabularyChange v{"output", o.name, "changed", {}};
      if (o.kind != g.kind || output_type(old_, o, k) != output_type(new_, g, k)) {
        v.details.push_back({"type", output_type(old_, o, k), output_type(new_, g, k), false, {}, {}});
      }
      if (output_default(old_, o) != output_default(new_, g)) {
        v.details.push_back({"default", output_default(old_, o), output_default(new_, g), false, {}, {}});
      }
      if (output_doubt(old_, o) != output_doubt(new_, g)) {
        v.details.push_back({"in doubt", output_doubt(old_, o), output_doubt(new_, g), false, {}, {}});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const OutputInfo& o : new_.outputs) {
      if (!old_.find_output(o.name)) {
        report_.vocabulary.push_back(
            {"output", o.name, "added", {{"declaration", "", output_declaration(new_, o, k), false, {}, {}}}});
      }
    }
    definitions();
  }

  void definitions() {
    const std::string define = word(Kw::Define, report_.keywords);
    for (const DefinitionText& d : old_text_.definitions) {
      const auto it = std::find_if(new_text_.definitions.begin(), new_text_.definitions.end(),
                                   [&](const DefinitionText& x) { return x.name == d.name; });
      if (it == new_text_.definitions.end()) {
        report_.vocabulary.push_back(
            {"definition",
             d.name,
             "removed",
             {{"declaration", fmt::format("{} {} = {}", define, d.name, d.body), "", false, {}, {}}}});
        continue;
      }
      if (it->body == d.body) continue;
      bool same = false;
      const Type ot = old_.slot_types[d.slot], nt = new_.slot_types[it->slot];
      if (ot.kind == TypeKind::Bool && nt.kind == TypeKind::Bool) {
        same = search_.exists(!smt::same_values(old_sym_.slots[d.slot], new_sym_.slots[it->slot])) == smt::Answer::No;
      }
      ClauseChange body{"body", d.body, it->body, same, {}, {}};
      set_items_delta(body);
      report_.vocabulary.push_back({"definition", d.name, "changed", {std::move(body)}});
    }
    for (const DefinitionText& d : new_text_.definitions) {
      if (std::none_of(old_text_.definitions.begin(), old_text_.definitions.end(),
                       [&](const DefinitionText& x) { return x.name == d.name; })) {
        report_.vocabulary.push_back(
            {"definition",
             d.name,
             "added",
             {{"declaration", "", fmt::format("{} {} = {}", define, d.name, d.body), false, {}, {}}}});
      }
    }
  }

  void rules() {
    const Keywords k = report_.keywords;
    for (std::uint32_t r = 0; r < old_.rules.size(); ++r) {
      const auto nr = new_.find_rule(old_.rules[r].name);
      if (!nr) {
        report_.removed.push_back(rule_text(old_, r, old_text_, k));
        continue;
      }
      const RuleText a = rule_text(old_, r, old_text_, k), b = rule_text(new_, *nr, new_text_, k);
      RuleChange change{b.name, b.where, {}};
      if (a.warning != b.warning) {
        const auto kind = [&](bool warning) { return word(warning ? Kw::Warning : Kw::Rule, k); };
        change.changes.push_back({"kind", kind(a.warning), kind(b.warning), false, {}, {}});
      }
      for (const char* clause :
           {"title", "cite", "validity", "overrides", "when", "provided", "then", "because", "note"}) {
        const auto text_of = [&](const RuleText& t) {
          for (const auto& [c, text] : t.clauses) {
            if (c == clause) return text;
          }
          return std::string();
        };
        const std::string x = text_of(a), y = text_of(b);
        if (x == y) continue;
        bool same = false;
        if (std::string_view(clause) == "when") {
          // No `quand`: the rule fires on the constant true.
          const smt::Sym always{ctx_.bool_val(false),
                                {ctx_.bool_val(false), ctx_.bool_val(true)},
                                {},
                                ctx_.bool_val(false),
                                ctx_.bool_val(false),
                                ctx_.int_val(0)};
          const smt::Sym& ow = old_sym_.when[r] ? *old_sym_.when[r] : always;
          const smt::Sym& nw = new_sym_.when[*nr] ? *new_sym_.when[*nr] : always;
          same = search_.exists(!smt::same_firing(ow, nw)) == smt::Answer::No;
        }
        ClauseChange c{clause, x, y, same, {}, {}};
        if (std::string_view(clause) == "when") set_items_delta(c);
        change.changes.push_back(std::move(c));
      }
      if (!change.changes.empty()) report_.changed.push_back(std::move(change));
    }
    for (std::uint32_t r = 0; r < new_.rules.size(); ++r) {
      if (!old_.find_rule(new_.rules[r].name)) report_.added.push_back(rule_text(new_, r, new_text_, k));
    }
  }

  // ----- behaviour -------------------------------------------------------------------------------
  //
  // An output's answer is what the user sees of it: for a scalar, conflict or not, settled or not, the
  // value to act on, the values it may still take, whether it may have none, and the provisos it
  // states; for a set, per member, whether it holds it for sure, maybe, or not. A kind of change is a
  // pair (OLD's answer, NEW's answer) that differ; each gets a witness, found by Z3 over every case
  // (facts given, given as `?`, or left out) and confirmed by the VM on the witness case file; then
  // one more per other cause (see `causes` below), each found where the causes already shown do not act.

  // A scalar answer over the members of both versions (`members`) and the texts of the provisos of
  // both versions' rules setting it (`texts`): symbolic...
  struct SeenSym {
    z3::expr conflict, settled, known, value;  // value: an index in `members`
    std::vector<z3::expr> possible;            // per member of `members`
    z3::expr may_be_unknown;
    std::vector<z3::expr> stated;  // per text of `texts`
  };
  // ... and as the VM gives it.
  struct Seen {
    bool conflict = false, settled = true, known = false;
    std::int64_t value = 0;
    std::vector<bool> possible;
    bool may_be_unknown = false;
    std::vector<bool> stated;
    friend bool operator==(const Seen&, const Seen&) = default;
  };

  static std::int64_t index_in(const std::vector<std::string>& names, const std::string& n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  }

  // How a proviso is told apart between versions: its text, or its condition when it has none.
  static std::string proviso_key(const Program& p, const Decompiled& d, std::uint32_t k) {
    std::size_t first = 0;
    for (const RuleInfo& r : p.rules) {
      if (k < first + r.provisos.size()) {
        const std::string& text = r.provisos[k - first].text;
        return text.empty() && k < d.provisos.size() ? d.provisos[k] : text;
      }
      first += r.provisos.size();
    }
    return {};
  }

  // The provisos (program-wide numbers) of the rules setting output o, with their keys.
  static std::vector<std::pair<std::uint32_t, std::string>> provisos_of(const Program& p, const Decompiled& d,
                                                                        std::uint32_t o) {
    std::vector<std::pair<std::uint32_t, std::string>> out;
    std::uint32_t k = 0;
    for (const RuleInfo& r : p.rules) {
      const bool sets = std::any_of(r.effects.begin(), r.effects.end(), [&](const Effect& e) { return e.output == o; });
      for (std::size_t i = 0; i < r.provisos.size(); ++i, ++k) {
        if (sets) out.emplace_back(k, proviso_key(p, d, k));
      }
    }
    return out;
  }

  // The answer as formulas; `named`: each through Search::name, for questions.
  SeenSym seen_sym(const Program& p, const smt::ProgramSym& sym, const Decompiled& d, std::uint32_t o,
                   const std::vector<std::string>& members, const std::vector<std::string>& texts, bool named) {
    const smt::OutputSym& out = sym.outputs[o];
    const auto& own = p.enums[p.outputs[o].enum_id].members;
    const auto name = [&](const z3::expr& e) { return named ? search_.name(e) : e; };
    z3::expr value = ctx_.int_val(-1);
    for (std::size_t m = own.size(); m-- > 0;) {
      value = z3::ite(out.value == ctx_.int_val(static_cast<std::int64_t>(m)), ctx_.int_val(index_in(members, own[m])),
                      value);
    }
    SeenSym s{name(out.conflict), name(out.settled), name(out.known), name(value), {}, name(out.may_be_unknown), {}};
    for (const std::string& m : members) {
      const auto it = std::find(own.begin(), own.end(), m);
      s.possible.push_back(it == own.end() ? ctx_.bool_val(false)
                                           : name(out.possible[static_cast<std::size_t>(it - own.begin())]));
    }
    const auto provisos = provisos_of(p, d, o);
    for (const std::string& t : texts) {
      z3::expr_vector any(ctx_);
      for (const auto& [k, key] : provisos) {
        if (key == t) any.push_back(sym.stated[k]);
      }
      s.stated.push_back(any.empty() ? ctx_.bool_val(false) : name(any.size() == 1 ? any[0] : z3::mk_or(any)));
    }
    return s;
  }

  // The two versions compute the very same formulas: no case can tell them apart.
  static bool identical(const SeenSym& a, const SeenSym& b) {
    bool same = z3::eq(a.conflict, b.conflict) && z3::eq(a.settled, b.settled) && z3::eq(a.known, b.known) &&
                z3::eq(a.value, b.value) && z3::eq(a.may_be_unknown, b.may_be_unknown);
    for (std::size_t m = 0; same && m < a.possible.size(); ++m) same = z3::eq(a.possible[m], b.possible[m]);
    for (std::size_t t = 0; same && t < a.stated.size(); ++t) same = z3::eq(a.stated[t], b.stated[t]);
    return same;
  }

  Seen seen(const Program& p, const Result& r, const Decompiled& d, std::uint32_t o,
            const std::vector<std::string>& members, const std::vector<std::string>& texts) {
    const OutputValue& v = r.outputs[o];
    const auto& own = p.enums[p.outputs[o].enum_id].members;
    Seen s;
    s.conflict = v.conflict;
    s.settled = v.settled;
    s.known = v.value.known;
    if (v.value.known) s.value = index_in(members, own[static_cast<std::size_t>(v.value.payload)]);
    for (const std::string& m : members) {
      const auto it = std::find(own.begin(), own.end(), m);
      s.possible.push_back(it != own.end() && ((v.possible >> static_cast<std::size_t>(it - own.begin())) & 1U) != 0);
    }
    s.may_be_unknown = v.may_be_unknown;
    const auto provisos = provisos_of(p, d, o);
    for (const std::string& t : texts) {
      s.stated.push_back(std::any_of(provisos.begin(), provisos.end(), [&](const auto& kp) {
        return kp.second == t && std::find(r.provisos.begin(), r.provisos.end(), kp.first) != r.provisos.end();
      }));
    }
    return s;
  }

  // The value to act on is the same (a conflict is no value, and unlike any).
  z3::expr same_value(const SeenSym& a, const SeenSym& b) {
    return a.conflict == b.conflict && a.known == b.known && z3::implies(a.known, a.value == b.value);
  }

  // The same answer; `provisos`: stating the same provisos too.
  z3::expr same(const SeenSym& a, const SeenSym& b, bool provisos) {
    z3::expr_vector all(ctx_);
    all.push_back(same_value(a, b));
    all.push_back(a.settled == b.settled);
    all.push_back(a.may_be_unknown == b.may_be_unknown);
    for (std::size_t m = 0; m < a.possible.size(); ++m) all.push_back(a.possible[m] == b.possible[m]);
    for (std::size_t t = 0; provisos && t < a.stated.size(); ++t) all.push_back(a.stated[t] == b.stated[t]);
    return z3::mk_and(all);
  }

  // The symbolic answer is this one (`provisos`: stating the same provisos too).
  z3::expr is(const SeenSym& a, const Seen& x, bool provisos) {
    z3::expr_vector all(ctx_);
    const auto b = [&](bool v) { return ctx_.bool_val(v); };
    all.push_back(a.conflict == b(x.conflict));
    all.push_back(a.settled == b(x.settled));
    all.push_back(a.known == b(x.known));
    if (x.known) all.push_back(a.value == ctx_.int_val(x.value));
    all.push_back(a.may_be_unknown == b(x.may_be_unknown));
    for (std::size_t m = 0; m < a.possible.size(); ++m) all.push_back(a.possible[m] == b(x.possible[m]));
    for (std::size_t t = 0; provisos && t < a.stated.size(); ++t) all.push_back(a.stated[t] == b(x.stated[t]));
    return z3::mk_and(all);
  }

  std::optional<Result> run_case(const Program& p, const smt::Witness& w, std::size_t index) {
    return smt::run_witness(p, w, index, options_.today, error_);
  }

  static bool touches(const Effect& e, std::uint32_t o, std::optional<std::uint32_t> member) {
    return e.output == o && (!member || ((e.value >> *member) & 1U) != 0);
  }

  static Decision decision(const Program& p, const Decompiled& text, const Result& r, std::uint32_t o,
                           std::optional<std::uint32_t> member) {
    Decision d;
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = r.outputs[o];
    const auto rule_touches = [&](std::uint32_t rule) {
      if (info.kind == OutputKind::Set && !member) return false;  // a member this version does not have
      return std::any_of(p.rules[rule].effects.begin(), p.rules[rule].effects.end(),
                         [&](const Effect& e) { return touches(e, o, member); });
    };
    const auto& members = p.enums[info.enum_id].members;
    d.settled = v.settled;
    if (info.kind == OutputKind::Set) {
      d.value = p.format_value({TypeKind::Set, info.enum_id}, v.value);
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (((v.possible >> m) & 1U) != 0) d.possible.push_back(members[m]);
      }
      if (member) {
        const bool sure = ((static_cast<std::uint64_t>(v.value.payload) >> *member) & 1U) != 0;
        d.holds = sure ? "yes" : ((v.possible >> *member) & 1U) != 0 ? "maybe" : "no";
      } else {
        d.holds = "no";
      }
    } else {
      d.conflict = v.conflict;
      if (v.value.known) d.value = members[static_cast<std::size_t>(v.value.payload)];
      if (!v.settled) {
        for (std::size_t m = 0; m < members.size(); ++m) {
          if (((v.possible >> m) & 1U) != 0) d.possible.push_back(members[m]);
        }
        d.may_be_unknown = v.may_be_unknown;
      }
    }
    for (const std::uint32_t f : r.fired) {
      if (rule_touches(f)) d.decided_by.push_back(p.rules[f].name);
    }
    for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
      if (r.applies[rule] == Truth::Unknown && rule_touches(rule)) d.may_decide.push_back(p.rules[rule].name);
    }
    for (const Overridden& x : r.overridden) {
      if (rule_touches(x.rule)) d.set_aside.emplace_back(p.rules[x.rule].name, p.rules[x.by].name);
    }
    for (const Conflict& c : r.conflicts) {
      if (c.output == o) d.conflicting = {p.rules[c.first].name, p.rules[c.second].name};
    }
    if (info.kind == OutputKind::Scalar) {
      for (const auto& [k, key] : provisos_of(p, text, o)) {
        if (std::find(r.provisos.begin(), r.provisos.end(), k) != r.provisos.end() &&
            std::find(d.provisos.begin(), d.provisos.end(), key) == d.provisos.end()) {
          d.provisos.push_back(key);
        }
      }
    }
    d.by_default =
        info.kind == OutputKind::Scalar && !d.conflict && d.settled && d.decided_by.empty() && info.has_default;
    return d;
  }

  static std::string grounds(const Decision& d, const BehaviourChange& c) {
    std::string out;
    if (c.set) {
      out = !d.decided_by.empty()   ? fmt::format("`{}` added by {}", c.member, backticked(d.decided_by))
            : !d.may_decide.empty() ? fmt::format("`{}` maybe added by {}", c.member, backticked(d.may_decide))
                                    : fmt::format("no rule adds `{}`", c.member);
    } else if (d.conflict) {
      out = fmt::format("`{}` and `{}` set it to different values and neither overrides the other",
                        d.conflicting.size() > 0 ? d.conflicting[0] : "?",
                        d.conflicting.size() > 1 ? d.conflicting[1] : "?");
    } else if (!d.decided_by.empty()) {
      out = fmt::format("decided by {}", backticked(d.decided_by));
    } else {
      out = d.by_default ? "no rule decides: the default stands" : "no rule decides for sure";
    }
    if (!d.may_decide.empty() && !(c.set && d.decided_by.empty()))
      out += fmt::format("; {} may apply", backticked(d.may_decide));
    for (const auto& [rule, by] : d.set_aside) out += fmt::format("; `{}` is set aside by `{}`", rule, by);
    return out;
  }

  static std::string holds_words(const Decision& d, const std::string& member) {
    if (d.holds == "yes") return fmt::format("holds `{}`", member);
    return d.holds == "maybe" ? fmt::format("may hold `{}` (not settled)", member)
                              : fmt::format("does not hold `{}`", member);
  }

  // The case file of a witness, with comments saying what it shows and how to check it.
  std::string case_file(const BehaviourChange& c, std::size_t number) const {
    std::vector<std::string> comments;
    const std::string what = c.set                ? fmt::format("`{}` {} with OLD and {} with NEW", c.output,
                                                                holds_words(c.old_side, c.member), holds_words(c.new_side, c.member))
                             : !c.proviso.empty() ? fmt::format("`{}` is {} in both, provided {} with {} only",
                                                                c.output, answer_text(c.new_side, false),
                                                                quoted(c.proviso), c.proviso_added ? "NEW" : "OLD")
                                                  : fmt::format("`{}` is {} with OLD and {} with NEW", c.output,
                                                                answer_text(c.old_side), answer_text(c.new_side));
    comments.push_back(fmt::format("secretc diff, witness {}: {}", number, what));
    comments.push_back(fmt::format("cause: {}", cause_text(report_, c.cause)));
    const auto side = [&](const char* word, const std::string& label, const Program& p, const Decision& d) {
      comments.push_back(fmt::format("{}: {} (rulebase \"{}\" version \"{}\")", word, label, p.name, p.version));
      comments.push_back(fmt::format("  {} = {}: {}", c.output, c.set ? d.value : answer_text(d), grounds(d, c)));
    };
    side("OLD", options_.old_label, old_, c.old_side);
    side("NEW", options_.new_label, new_, c.new_side);
    for (const smt::WitnessLine& l : c.witness.lines) {
      for (std::size_t p = 0; p < l.readable.size(); ++p) {
        if (l.readable[p]) continue;
        const char* word = p == 0 ? "OLD" : "NEW";
        comments.push_back(
            fmt::format("`{} = {}` means nothing to {} (a fact, type or member it does not know): {} answers as",
                        l.name, l.value, word, word));
        comments.push_back(fmt::format("  without the line; remove it to run this file with {}", word));
      }
    }
    comments.push_back("check it:");
    comments.push_back(fmt::format("  {} FILE", options_.old_check));
    comments.push_back(fmt::format("  {} FILE", options_.new_check));
    comments.emplace_back();
    return c.witness.file_text(comments);
  }

  // A scalar answer as a file name word: `peut_reveler`, `conflict`, `unknown`, and while not settled
  // the value to act on then the other possible values: `garder_le_secret_or_peut_reveler_or_none`.
  static std::string answer_word(const Decision& d) {
    if (d.conflict) return "conflict";
    if (d.settled) return d.value.empty() ? "unknown" : d.value;
    std::string out = d.value.empty() ? "unknown" : d.value;
    for (const std::string& m : d.possible) {
      if (m != d.value) out += "_or_" + m;
    }
    return d.may_be_unknown ? out + "_or_none" : out;
  }

  // Records a witness once the VM, run on the case file, confirms what the solver claims (its answers
  // and cause read off the VM's runs); returns its cause. Numbers, file names and case files come once
  // every witness is found (finish()).
  std::vector<CauseItem> record(BehaviourChange c) {
    report_.behaviour.push_back(c);
    return c.cause;
  }

  // The witnesses grouped by cause (the causes in the order first found, each cause's witnesses in the
  // order found), then numbered: the numbers, hence the file names, follow the report.
  void finish() {
    std::vector<std::vector<CauseItem>> order;
    for (const BehaviourChange& c : report_.behaviour) {
      if (std::find(order.begin(), order.end(), c.cause) == order.end()) order.push_back(c.cause);
    }
    std::vector<BehaviourChange> grouped;
    for (const auto& cause : order) {
      std::vector<std::size_t> members;
      for (BehaviourChange& c : report_.behaviour) {
        if (c.cause != cause) continue;
        members.push_back(grouped.size());
        grouped.push_back(std::move(c));
      }
      report_.causes.emplace_back(cause, std::move(members));
    }
    report_.behaviour = std::move(grouped);
    for (std::size_t i = 0; i < report_.behaviour.size(); ++i) {
      BehaviourChange& c = report_.behaviour[i];
      const std::size_t number = i + 1;
      if (c.set) {
        const bool sure = c.old_side.holds != "maybe" && c.new_side.holds != "maybe";
        c.file_name = sure ? fmt::format("{}_{}_{}_{}.fact", number, file_word(c.output), file_word(c.member),
                                         c.member_added ? "added" : "removed")
                           : fmt::format("{}_{}_{}_{}_to_{}.fact", number, file_word(c.output), file_word(c.member),
                                         c.old_side.holds, c.new_side.holds);
      } else if (!c.proviso.empty()) {
        c.file_name =
            fmt::format("{}_{}_proviso_{}.fact", number, file_word(c.output), c.proviso_added ? "added" : "removed");
      } else {
        c.file_name = fmt::format("{}_{}_{}_to_{}.fact", number, file_word(c.output),
                                  file_word(answer_word(c.old_side)), file_word(answer_word(c.new_side)));
      }
      c.case_file = case_file(c, number);
    }
  }

  // ----- causes ----------------------------------------------------------------------------------
  //
  // A change of answer on a witness is caused by what changed among the rules that decide the output
  // there, in either version (those that fire, or may: they decide it, may decide it, are set aside or
  // set others aside, or conflict): a rule added or removed; a rule changed in what it decides (its
  // `alors`, `prime sur`, provisos or kind; or its `quand` or period, when it fires otherwise on the
  // witness); for a rule that did not change but fires otherwise, the definitions it reads that
  // changed, the facts whose declaration changed, and what decides the outputs it reads, likewise; the
  // output's own default or `dans le doute` where no rule decides it for sure; the enumeration or fact
  // a line of the witness names that one version does not know.

  struct RuleDelta {
    std::string change;                  // added, removed, changed
    bool decides = false;                // changed in what it decides whenever it fires (alors, provisos, kind)
    std::vector<std::string> overrides;  // the rules it began or ceased to set aside (`prime sur`)
  };

  void deltas() {
    for (const RuleText& r : report_.added) rule_delta_[r.name] = {"added", true, {}};
    for (const RuleText& r : report_.removed) rule_delta_[r.name] = {"removed", true, {}};
    for (const RuleChange& r : report_.changed) {
      RuleDelta d{"changed", false, {}};
      bool behaves = false;
      for (const ClauseChange& c : r.changes) {
        if (c.clause == "then" || c.clause == "provided" || c.clause == "kind") d.decides = behaves = true;
        if (c.clause == "overrides") {
          behaves = true;
          const auto names = [](const std::string& list) {
            std::vector<std::string> out;
            for (std::size_t at = 0; at < list.size();) {
              const auto comma = list.find(", ", at);
              out.push_back(list.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
              at = comma == std::string::npos ? list.size() : comma + 2;
            }
            return out;
          };
          const auto before = names(c.old_text), after = names(c.new_text);
          for (const auto& n : before) {
            if (std::find(after.begin(), after.end(), n) == after.end()) d.overrides.push_back(n);
          }
          for (const auto& n : after) {
            if (std::find(before.begin(), before.end(), n) == before.end()) d.overrides.push_back(n);
          }
        }
        if (c.clause == "validity" || (c.clause == "when" && !c.same_meaning)) behaves = true;
      }
      if (behaves) rule_delta_[r.name] = d;
    }
    for (const VocabularyChange& v : report_.vocabulary) {
      bool behaves = v.change != "changed";
      for (const ClauseChange& c : v.details) {
        if (v.kind == "definition") behaves = behaves || !c.same_meaning;
        if (v.kind == "fact") behaves = behaves || c.clause == "type" || c.clause == "default";
        if (v.kind == "output") behaves = true;
        if (v.kind == "enum") behaves = behaves || c.clause == "members";
      }
      if (v.kind != "rulebase" && behaves) vocabulary_delta_[{v.kind, v.name}] = v.change;
    }
    old_reads_ = rule_reads(old_);
    new_reads_ = rule_reads(new_);
  }

  void add_vocabulary(std::set<CauseItem>& items, const std::string& kind, const std::string& name) const {
    if (const auto it = vocabulary_delta_.find({kind, name}); it != vocabulary_delta_.end())
      items.insert({kind, name, it->second});
  }

  static bool rule_touches(const Program& p, std::uint32_t rule, std::uint32_t o, std::optional<std::uint32_t> member,
                           bool any_member) {
    return std::any_of(p.rules[rule].effects.begin(), p.rules[rule].effects.end(),
                       [&](const Effect& e) { return e.output == o && (any_member || touches(e, o, member)); });
  }

  // The causes on one output (one member of a set; every member when `any_member`), into `items`.
  void trace(const Result& a, const Result& b, const std::string& output, const std::string& member, bool any_member,
             std::set<CauseItem>& items, std::set<std::string>& seen_outputs) {
    if (!seen_outputs.insert(output + "\n" + member).second) return;
    const auto o = old_.find_output(output), no = new_.find_output(output);
    const auto om = o && !any_member ? old_.find_member(old_.outputs[*o].enum_id, member) : std::nullopt;
    const auto nm = no && !any_member ? new_.find_member(new_.outputs[*no].enum_id, member) : std::nullopt;
    const bool set = o && old_.outputs[*o].kind == OutputKind::Set;
    // The rules that fire, or may, and set the output (for a set: add the member), in either version.
    std::vector<std::string> rules;
    const auto gather = [&](const Program& p, const Result& r, std::optional<std::uint32_t> out,
                            std::optional<std::uint32_t> m) {
      if (!out || (set && !any_member && !m)) return;
      for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
        if (r.conditions[rule] == Truth::False || !rule_touches(p, rule, *out, m, any_member)) continue;
        if (std::find(rules.begin(), rules.end(), p.rules[rule].name) == rules.end())
          rules.push_back(p.rules[rule].name);
      }
    };
    gather(old_, a, o, om);
    gather(new_, b, no, nm);
    std::sort(rules.begin(), rules.end());
    for (const std::string& name : rules) {
      const auto delta = rule_delta_.find(name);
      if (delta != rule_delta_.end() && delta->second.change != "changed") {
        items.insert({"rule", name, delta->second.change});
        continue;
      }
      const auto ro = old_.find_rule(name), rn = new_.find_rule(name);
      if (!ro || !rn) continue;
      const bool otherwise = a.conditions[*ro] != b.conditions[*rn] || a.applies[*ro] != b.applies[*rn];
      // A rule that sets aside other rules than it did: where one of those fires.
      const auto fires = [&](const std::string& other) {
        const auto x = old_.find_rule(other), y = new_.find_rule(other);
        return (x && a.conditions[*x] != Truth::False) || (y && b.conditions[*y] != Truth::False);
      };
      if (delta != rule_delta_.end() &&
          (otherwise || delta->second.decides ||
           std::any_of(delta->second.overrides.begin(), delta->second.overrides.end(), fires))) {
        items.insert({"rule", name, "changed"});
      }
      if (!otherwise) continue;
      // What it reads changed, as far as the witness shows: the definitions that take other values on
      // it, the facts whose type changed or whose default changed and that it leaves out, and the
      // causes of the outputs it reads that answer otherwise on it.
      for (const auto& [p, reads, r] : {std::tuple{&old_, &old_reads_, *ro}, std::tuple{&new_, &new_reads_, *rn}}) {
        for (const std::string& d : (*reads)[r].definitions) {
          if (differs_on_witness(d)) add_vocabulary(items, "definition", d);
        }
        for (const std::uint32_t f : p->rules[r].facts_read) {
          if (f < p->facts.size() && fact_counts(p->facts[f].name)) add_vocabulary(items, "fact", p->facts[f].name);
        }
        for (const std::uint32_t read : (*reads)[r].outputs) {
          if (read < p->outputs.size() && output_differs(a, b, p->outputs[read].name)) {
            trace(a, b, p->outputs[read].name, {}, true, items, seen_outputs);
          }
        }
      }
    }
    // Where no rule decides for sure, the output's default and `dans le doute` decide.
    const auto undecided = [&](const Program& p, const Result& r, std::optional<std::uint32_t> out) {
      if (!out || p.outputs[*out].kind == OutputKind::Set) return false;
      const OutputValue& v = r.outputs[*out];
      if (!v.settled) return true;
      return std::none_of(r.fired.begin(), r.fired.end(),
                          [&](std::uint32_t f) { return rule_touches(p, f, *out, {}, true); });
    };
    if (undecided(old_, a, o) || undecided(new_, b, no)) add_vocabulary(items, "output", output);
  }

  // A fact whose declaration changed counts on the witness being traced: its type changed (or it is in
  // one version only), or its default changed and the witness leaves it out.
  bool fact_counts(const std::string& name) const {
    const auto it = vocabulary_delta_.find({"fact", name});
    if (it == vocabulary_delta_.end()) return false;
    if (it->second != "changed" || tracing_ == nullptr) return true;
    const auto o = old_.find_fact(name), n = new_.find_fact(name);
    if (!o || !n || old_.facts[*o].type.kind != new_.facts[*n].type.kind) return true;
    return std::none_of(tracing_->lines.begin(), tracing_->lines.end(),
                        [&](const smt::WitnessLine& l) { return l.name == name; });
  }

  // An output read by rules answers otherwise on the witness (its value, settledness, the values or
  // members it may take).
  bool output_differs(const Result& a, const Result& b, const std::string& name) const {
    const auto o = old_.find_output(name), n = new_.find_output(name);
    if (!o || !n) return true;
    const Decision x = decision(old_, old_text_, a, *o, std::nullopt),
                   y = decision(new_, new_text_, b, *n, std::nullopt);
    return x.value != y.value || x.conflict != y.conflict || x.settled != y.settled || x.possible != y.possible ||
           x.may_be_unknown != y.may_be_unknown;
  }

  // A definition changed and takes other values on the last witness (a set written `{ … }`: always).
  bool differs_on_witness(const std::string& name) {
    if (!vocabulary_delta_.contains({"definition", name})) return false;
    const auto od = std::find_if(old_text_.definitions.begin(), old_text_.definitions.end(),
                                 [&](const DefinitionText& d) { return d.name == name; });
    const auto nd = std::find_if(new_text_.definitions.begin(), new_text_.definitions.end(),
                                 [&](const DefinitionText& d) { return d.name == name; });
    if (od == old_text_.definitions.end() || nd == new_text_.definitions.end()) return true;
    const Type ot = old_.slot_types[od->slot], nt = new_.slot_types[nd->slot];
    if (ot.kind == TypeKind::Bool && nt.kind == TypeKind::Bool) {
      return !search_.holds_on_last_witness(smt::same_values(old_sym_.slots[od->slot], new_sym_.slots[nd->slot]));
    }
    if (ot.kind != TypeKind::Set || nt.kind != TypeKind::Set) return true;
    // A named set of members: it makes a difference where a value tested against it may be one of the
    // members it lost or gained.
    std::vector<std::string> items;
    for (const VocabularyChange& v : report_.vocabulary) {
      if (v.kind != "definition" || v.name != name) continue;
      for (const ClauseChange& c : v.details) {
        items.insert(items.end(), c.items_removed.begin(), c.items_removed.end());
        items.insert(items.end(), c.items_added.begin(), c.items_added.end());
      }
    }
    if (items.empty()) return true;
    for (const auto& [p, sym, slot, type] :
         {std::tuple{&old_, &old_sym_, od->slot, ot}, std::tuple{&new_, &new_sym_, nd->slot, nt}}) {
      for (const Instr& in : p->code) {
        if (in.op != Opcode::In || in.c != slot || in.b >= sym->slots.size()) continue;
        for (const std::string& item : items) {
          const auto m = p->find_member(type.enum_id, item);
          if (m && *m < sym->slots[in.b].may.size() && search_.holds_on_last_witness(sym->slots[in.b].may[*m]))
            return true;
        }
      }
    }
    return false;
  }

  std::vector<CauseItem> cause_of(const Result& a, const Result& b, const BehaviourChange& c) {
    std::set<CauseItem> items;
    std::set<std::string> seen_outputs;
    tracing_ = &c.witness;
    trace(a, b, c.output, c.member, false, items, seen_outputs);
    tracing_ = nullptr;
    // A line one version cannot read: its fact or the member's enumeration changed.
    for (const smt::WitnessLine& l : c.witness.lines) {
      if (std::all_of(l.readable.begin(), l.readable.end(), [](bool r) { return r; })) continue;
      add_vocabulary(items, "fact", l.name);
      for (const Program* p : {&old_, &new_}) {
        const auto f = p->find_fact(l.name);
        if (f && p->facts[*f].type.kind == TypeKind::Enum)
          add_vocabulary(items, "enum", p->enums[p->facts[*f].type.enum_id].name);
      }
    }
    return {items.begin(), items.end()};
  }

  // ----- other witnesses of a kind, for other causes -------------------------------------------------

  // A rule's Tris, named once (the goals stay small).
  const std::pair<smt::Tri, smt::Tri>& named_rule(std::size_t version, std::uint32_t r) {
    auto& cache = version == 0 ? old_named_ : new_named_;
    const smt::ProgramSym& sym = version == 0 ? old_sym_ : new_sym_;
    auto it = cache.find(r);
    if (it == cache.end()) {
      const auto n = [&](const smt::Tri& t) { return smt::Tri{search_.name(t.sure), search_.name(t.may)}; };
      it = cache.emplace(r, std::pair{n(sym.fires[r]), n(sym.applies[r])}).first;
    }
    return it->second;
  }

  // A rule in both versions fires, and applies, alike.
  z3::expr alike(std::uint32_t ro, std::uint32_t rn) {
    const auto& [fo, ao] = named_rule(0, ro);
    const auto& [fn, an] = named_rule(1, rn);
    return fo.sure == fn.sure && fo.may == fn.may && ao.sure == an.sure && ao.may == an.may;
  }

  // A rule of one version cannot fire.
  z3::expr silent(std::size_t version, std::uint32_t r) { return !named_rule(version, r).first.may; }

  // The cases where one item of a cause makes no difference: the rule fires alike in both versions (or
  // not at all, when what it decides changed), the definition takes the same values (or the rules
  // reading it fire alike), the fact is written (its default no longer counts), the lines naming
  // members of the enumeration are read by both versions. An output's default: none.
  z3::expr neutral(const CauseItem& item) {
    const z3::expr none = ctx_.bool_val(false);
    if (item.kind == "rule") {
      const auto ro = old_.find_rule(item.name), rn = new_.find_rule(item.name);
      if (item.change == "added") return rn ? silent(1, *rn) : none;
      if (item.change == "removed") return ro ? silent(0, *ro) : none;
      if (!ro || !rn) return none;
      const RuleDelta& d = rule_delta_[item.name];
      if (d.decides) return silent(0, *ro) && silent(1, *rn);
      z3::expr out = alike(*ro, *rn);
      for (const std::string& other : d.overrides) {
        if (const auto x = old_.find_rule(other)) out = out && silent(0, *x);
        if (const auto y = new_.find_rule(other)) out = out && silent(1, *y);
      }
      return out;
    }
    if (item.kind == "definition") {
      if (item.change == "changed") {
        const auto od = std::find_if(old_text_.definitions.begin(), old_text_.definitions.end(),
                                     [&](const DefinitionText& d) { return d.name == item.name; });
        const auto nd = std::find_if(new_text_.definitions.begin(), new_text_.definitions.end(),
                                     [&](const DefinitionText& d) { return d.name == item.name; });
        if (od != old_text_.definitions.end() && nd != new_text_.definitions.end() &&
            old_.slot_types[od->slot].kind == TypeKind::Bool && new_.slot_types[nd->slot].kind == TypeKind::Bool) {
          return search_.name(smt::same_values(old_sym_.slots[od->slot], new_sym_.slots[nd->slot]));
        }
      }
      // The rules reading it fire alike (those of one version only: not at all).
      z3::expr all = ctx_.bool_val(true);
      for (std::uint32_t r = 0; r < old_.rules.size(); ++r) {
        const auto& d = old_reads_[r].definitions;
        if (!std::binary_search(d.begin(), d.end(), item.name)) continue;
        const auto rn = new_.find_rule(old_.rules[r].name);
        all = all && (rn ? alike(r, *rn) : silent(0, r));
      }
      for (std::uint32_t r = 0; r < new_.rules.size(); ++r) {
        const auto& d = new_reads_[r].definitions;
        if (!std::binary_search(d.begin(), d.end(), item.name)) continue;
        const auto ro = old_.find_rule(new_.rules[r].name);
        all = all && (ro ? alike(*ro, r) : silent(1, r));
      }
      return all;
    }
    const auto& facts = space_.facts();
    if (item.kind == "fact") {
      z3::expr all = ctx_.bool_val(true);
      for (std::size_t f = 0; f < facts.size(); ++f) {
        if (facts[f].name != item.name) continue;
        all = all && (item.change == "changed" ? space_.read_by(f, 0) && space_.read_by(f, 1) : !facts[f].given);
      }
      return all;
    }
    if (item.kind == "enum") {
      z3::expr all = ctx_.bool_val(true);
      for (std::size_t f = 0; f < facts.size(); ++f) {
        bool of_enum = false;
        for (std::size_t v = 0; v < 2; ++v) {
          const Program& p = v == 0 ? old_ : new_;
          const std::int64_t fi = facts[f].fact_of[v];
          if (fi < 0) continue;
          const Type t = p.facts[static_cast<std::size_t>(fi)].type;
          of_enum = of_enum || (t.kind == TypeKind::Enum && p.enums[t.enum_id].name == item.name);
        }
        if (of_enum) all = all && z3::implies(facts[f].given, space_.read_by(f, 0) && space_.read_by(f, 1));
      }
      return all;
    }
    return none;
  }

  // The cases where a cause found makes no difference: one of its items does not.
  z3::expr without(const std::vector<CauseItem>& cause) {
    z3::expr_vector any(ctx_);
    for (const CauseItem& item : cause) any.push_back(neutral(item));
    return any.empty() ? ctx_.bool_val(false) : z3::mk_or(any);
  }

  // How the search of one more witness went.
  enum class Probe : std::uint8_t { Failed, None, Known, Recorded };

  // After a first witness of a kind (`kind`: its cases), witnesses of the same kind with other causes:
  // each excludes the cases where the causes already found act, up to max_causes_per_kind in all (a
  // kind counts once against max_changes_per_output).
  // `probe(goal, causes, cause)` looks for a witness, checks it with the VM and records it unless its
  // cause is among `causes`.
  template <typename ProbeFn>
  bool other_causes(const z3::expr& kind, std::vector<CauseItem> first, const std::string& output, ProbeFn probe) {
    std::vector<std::vector<CauseItem>> causes{std::move(first)};
    z3::expr goal = kind && without(causes.back());
    while (causes.size() < options_.max_causes_per_kind) {
      std::vector<CauseItem> cause;
      const Probe p = probe(goal, causes, cause);
      if (p == Probe::Failed) return false;
      if (p != Probe::Recorded) return true;  // no other case; or one the tracing cannot tell apart
      causes.push_back(cause);
      goal = goal && without(cause);
    }
    if (search_.exists(goal) != smt::Answer::No) {
      if (std::find(report_.truncated.begin(), report_.truncated.end(), output) == report_.truncated.end()) {
        report_.truncated.push_back(output);
      }
    }
    return true;
  }

  void gave_up(const std::string& what) {
    if (std::find(report_.inconclusive.begin(), report_.inconclusive.end(), what) == report_.inconclusive.end()) {
      report_.inconclusive.push_back(what);
    }
  }

  bool scalar(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    std::vector<std::string> texts;
    for (const auto& [k, key] : provisos_of(old_, old_text_, o)) {
      if (std::find(texts.begin(), texts.end(), key) == texts.end()) texts.push_back(key);
    }
    for (const auto& [k, key] : provisos_of(new_, new_text_, no)) {
      if (std::find(texts.begin(), texts.end(), key) == texts.end()) texts.push_back(key);
    }
    if (identical(seen_sym(old_, old_sym_, old_text_, o, members, texts, false),
                  seen_sym(new_, new_sym_, new_text_, no, members, texts, false))) {
      return true;
    }
    const SeenSym a = seen_sym(old_, old_sym_, old_text_, o, members, texts, true);
    const SeenSym b = seen_sym(new_, new_sym_, new_text_, no, members, texts, true);
    // The most telling changes first: settled answers that differ, then another value to act on, then
    // any other difference in the answer (settledness, the values still possible). A kind is a pair of
    // answers, each shown with the provisos it states on its witness.
    const z3::expr other_value = !same_value(a, b), other_answer = !same(a, b, false);
    const std::vector<z3::expr> tiers{a.settled && b.settled && other_value, other_value, other_answer};
    z3::expr open = ctx_.bool_val(true);  // not a pair of answers already shown
    std::size_t found = 0;
    // The proviso kinds, per text and direction; shown ones leave the list.
    std::vector<std::tuple<std::size_t, bool, z3::expr>> provisos;
    for (std::size_t t = 0; t < texts.size(); ++t) {
      for (const bool added : {true, false}) {
        provisos.emplace_back(t, added,
                              same(a, b, false) && (added ? !a.stated[t] && b.stated[t] : a.stated[t] && !b.stated[t]));
      }
    }
    std::vector<bool> shown(provisos.size(), false);
    const auto full = [&] {
      if (found < options_.max_changes_per_output) return false;
      z3::expr_vector more(ctx_);
      more.push_back(other_answer && open);
      for (std::size_t k = 0; k < provisos.size(); ++k) {
        if (!shown[k]) more.push_back(std::get<2>(provisos[k]));
      }
      if (search_.exists(z3::mk_or(more)) != smt::Answer::No &&
          std::find(report_.truncated.begin(), report_.truncated.end(), oi.name) == report_.truncated.end()) {
        report_.truncated.push_back(oi.name);
      }
      return true;
    };
    // A witness of a pair of answers (the first of its kind: `expected` empty, and set to what it
    // shows), checked with the VM and recorded unless its cause is among `known`.
    std::optional<std::pair<Seen, Seen>> expected;
    const auto value_probe = [&](const z3::expr& goal, const std::vector<std::vector<CauseItem>>& known,
                                 std::vector<CauseItem>& cause) {
      smt::Answer answer = smt::Answer::Unknown;
      const auto w = search_.witness(goal, report_.keywords, options_.today, answer);
      if (answer == smt::Answer::Unknown) gave_up(oi.name);
      if (!w) return Probe::None;
      const auto ra = run_case(old_, *w, 0);
      const auto rb = run_case(new_, *w, 1);
      if (!ra || !rb) return Probe::Failed;
      Seen x = seen(old_, *ra, old_text_, o, members, texts), y = seen(new_, *rb, new_text_, no, members, texts);
      x.stated.assign(texts.size(), false);
      y.stated.assign(texts.size(), false);
      if (x == y || (expected && (x != expected->first || y != expected->second))) {
        error_ =
            fmt::format("internal error: the solver claims `{}` changes otherwise on a case where the VM answers:\n{}",
                        oi.name, w->file_text({}));
        return Probe::Failed;
      }
      BehaviourChange c{oi.name, false, {}, false, {}, false, {}, {}, *w, {}, {}, {}};
      c.old_side = decision(old_, old_text_, *ra, o, std::nullopt);
      c.new_side = decision(new_, new_text_, *rb, no, std::nullopt);
      c.cause = cause_of(*ra, *rb, c);
      if (std::find(known.begin(), known.end(), c.cause) != known.end()) return Probe::Known;
      cause = record(std::move(c));
      if (!expected) expected = std::pair{x, y};
      return Probe::Recorded;
    };
    for (const z3::expr& tier : tiers) {
      for (;;) {
        if (full()) return true;
        expected.reset();
        std::vector<CauseItem> cause;
        const Probe p = value_probe(tier && open, {}, cause);
        if (p == Probe::Failed) return false;
        if (p == Probe::None) break;
        ++found;
        const z3::expr kind = is(a, expected->first, false) && is(b, expected->second, false);
        if (!other_causes(kind, cause, oi.name, value_probe)) return false;
        open = open && !kind;
      }
    }
    // The same answer, resting on a proviso in one version and not in the other: one kind per proviso
    // and direction.
    for (std::size_t k = 0; k < provisos.size(); ++k) {
      const auto& [t, added, goal] = provisos[k];
      if (full()) return true;
      shown[k] = true;
      const auto proviso_probe = [&, t = t, added = added](const z3::expr& g,
                                                           const std::vector<std::vector<CauseItem>>& known,
                                                           std::vector<CauseItem>& cause) {
        smt::Answer answer = smt::Answer::Unknown;
        const auto w = search_.witness(g, report_.keywords, options_.today, answer);
        if (answer == smt::Answer::Unknown) gave_up(oi.name);
        if (!w) return Probe::None;
        const auto ra = run_case(old_, *w, 0);
        const auto rb = run_case(new_, *w, 1);
        if (!ra || !rb) return Probe::Failed;
        const Seen x = seen(old_, *ra, old_text_, o, members, texts),
                   y = seen(new_, *rb, new_text_, no, members, texts);
        if (x.stated[t] != !added || y.stated[t] != added) {
          error_ = fmt::format(
              "internal error: the solver claims `{}` rests on \"{}\" in one version only on a case where the VM "
              "says otherwise:\n{}",
              oi.name, texts[t], w->file_text({}));
          return Probe::Failed;
        }
        BehaviourChange c{oi.name, false, {}, false, texts[t], added, {}, {}, *w, {}, {}, {}};
        c.old_side = decision(old_, old_text_, *ra, o, std::nullopt);
        c.new_side = decision(new_, new_text_, *rb, no, std::nullopt);
        c.cause = cause_of(*ra, *rb, c);
        if (std::find(known.begin(), known.end(), c.cause) != known.end()) return Probe::Known;
        cause = record(std::move(c));
        return Probe::Recorded;
      };
      std::vector<CauseItem> cause;
      const Probe p = proviso_probe(goal, {}, cause);
      if (p == Probe::Failed) return false;
      if (p == Probe::None) continue;
      ++found;
      if (!other_causes(goal, cause, oi.name, proviso_probe)) return false;
    }
    return true;
  }

  // Per member of a set: held for sure (2), maybe (1), or not (0).
  z3::expr holding(const smt::OutputSym& out, std::optional<std::uint32_t> m) {
    if (!m) return ctx_.int_val(0);
    return z3::ite(out.sure[*m], ctx_.int_val(2), z3::ite(out.may[*m], ctx_.int_val(1), ctx_.int_val(0)));
  }

  static int holding(const Result& r, std::uint32_t o, std::optional<std::uint32_t> m) {
    if (!m) return 0;
    if (((static_cast<std::uint64_t>(r.outputs[o].value.payload) >> *m) & 1U) != 0) return 2;
    return ((r.outputs[o].possible >> *m) & 1U) != 0 ? 1 : 0;
  }

  bool set(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    const OutputInfo& ni = new_.outputs[no];
    std::vector<z3::expr> open;  // per member: not a kind already shown
    std::vector<z3::expr> in_old, in_new;
    std::vector<std::optional<std::uint32_t>> old_member, new_member;
    for (const std::string& m : members) {
      open.push_back(ctx_.bool_val(true));
      old_member.push_back(old_.find_member(oi.enum_id, m));
      new_member.push_back(new_.find_member(ni.enum_id, m));
      in_old.push_back(holding(old_sym_.outputs[o], old_member.back()));
      in_new.push_back(holding(new_sym_.outputs[no], new_member.back()));
      // The same formula in both versions: no case tells them apart; else named, for questions.
      if (z3::eq(in_old.back(), in_new.back())) {
        open.back() = ctx_.bool_val(false);
      } else {
        in_old.back() = search_.name(in_old.back());
        in_new.back() = search_.name(in_new.back());
      }
    }
    std::size_t found = 0;
    // Members held for sure by one version and not at all by the other first, then any other change.
    for (const bool sure_only : {true, false}) {
      for (std::size_t u = 0; u < members.size(); ++u) {
        const std::string& m = members[u];
        const auto om = old_member[u], nm = new_member[u];
        if (open[u].is_false()) continue;
        const z3::expr tier = sure_only ? (in_old[u] == 2 && in_new[u] == 0) || (in_old[u] == 0 && in_new[u] == 2)
                                        : in_old[u] != in_new[u];
        std::optional<std::pair<int, int>> expected;  // the kind of the first witness, once found
        const auto probe = [&](const z3::expr& goal, const std::vector<std::vector<CauseItem>>& known,
                               std::vector<CauseItem>& cause) {
          smt::Answer answer = smt::Answer::Unknown;
          const auto w = search_.witness(goal, report_.keywords, options_.today, answer);
          if (answer == smt::Answer::Unknown) gave_up(fmt::format("{} ({})", oi.name, m));
          if (!w) return Probe::None;
          const auto ra = run_case(old_, *w, 0);
          const auto rb = run_case(new_, *w, 1);
          if (!ra || !rb) return Probe::Failed;
          const int x = holding(*ra, o, om), y = holding(*rb, no, nm);
          if (x == y || (expected && std::pair{x, y} != *expected)) {
            error_ = fmt::format(
                "internal error: the solver claims `{}` changes otherwise on `{}` on a case where the VM answers:\n{}",
                oi.name, m, w->file_text({}));
            return Probe::Failed;
          }
          BehaviourChange c{oi.name, true, m, y > x, {}, false, {}, {}, *w, {}, {}, {}};
          c.old_side = decision(old_, old_text_, *ra, o, om);
          c.new_side = decision(new_, new_text_, *rb, no, nm);
          c.cause = cause_of(*ra, *rb, c);
          if (std::find(known.begin(), known.end(), c.cause) != known.end()) return Probe::Known;
          cause = record(std::move(c));
          if (!expected) expected = std::pair{x, y};
          return Probe::Recorded;
        };
        for (;;) {
          if (found >= options_.max_changes_per_output) {
            z3::expr_vector more(ctx_);
            for (std::size_t v = 0; v < members.size(); ++v) more.push_back(in_old[v] != in_new[v] && open[v]);
            if (search_.exists(z3::mk_or(more)) != smt::Answer::No &&
                std::find(report_.truncated.begin(), report_.truncated.end(), oi.name) == report_.truncated.end()) {
              report_.truncated.push_back(oi.name);
            }
            return true;
          }
          expected.reset();
          std::vector<CauseItem> cause;
          const Probe p = probe(tier && open[u], {}, cause);
          if (p == Probe::Failed) return false;
          if (p == Probe::None) break;
          ++found;
          const z3::expr kind = in_old[u] == expected->first && in_new[u] == expected->second;
          if (!other_causes(kind, cause, oi.name, probe)) return false;
          open[u] = open[u] && !kind;
        }
      }
    }
    return true;
  }

  bool behaviour() {
    for (std::uint32_t o = 0; o < old_.outputs.size(); ++o) {
      const OutputInfo& oi = old_.outputs[o];
      const auto no = new_.find_output(oi.name);
      if (!no) continue;
      const OutputInfo& ni = new_.outputs[*no];
      if (oi.kind != ni.kind) {
        report_.incomparable.push_back(oi.name);
        continue;
      }
      std::vector<std::string> members = old_.enums[oi.enum_id].members;
      for (const std::string& m : new_.enums[ni.enum_id].members) {
        if (std::find(members.begin(), members.end(), m) == members.end()) members.push_back(m);
      }
      if (!(oi.kind == OutputKind::Set ? set(o, *no, members) : scalar(o, *no, members))) return false;
    }
    return true;
  }

  const Program& old_;
  const Program& new_;
  const DiffOptions& options_;
  z3::context ctx_;
  smt::CaseSpace space_;
  smt::ProgramSym old_sym_, new_sym_;
  smt::Search search_;
  Decompiled old_text_, new_text_;
  DiffReport report_;
  std::string error_;
  std::map<std::string, RuleDelta> rule_delta_;  // rules added, removed, or changed in their behaviour, by name
  std::map<std::pair<std::string, std::string>, std::string>
      vocabulary_delta_;  // (kind, name) → added, removed, changed
  std::vector<RuleReads> old_reads_, new_reads_;
  const smt::Witness* tracing_ = nullptr;  // the witness whose cause is being traced
  std::map<std::uint32_t, std::pair<smt::Tri, smt::Tri>> old_named_, new_named_;  // per rule: fires, applies
};

}  // namespace

std::variant<DiffReport, std::string> diff_programs(const Program& old_program, const Program& new_program,
                                                    const DiffOptions& options) {
  try {
    Differ differ(old_program, new_program, options);
    return differ.run();
  } catch (const z3::exception& e) {
    return fmt::format("internal error: the solver failed: {}", e.msg());
  }
}

}  // namespace secretc
