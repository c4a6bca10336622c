#include "analysis/diff.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>


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
std::string type_text(const Program& p, Type t, Keywords k) {
  const bool fr = k == Keywords::French;
  const std::string e = t.enum_id < p.enums.size() ? p.enums[t.enum_id].name : "?";
  switch (t.kind) {
    case TypeKind::Bool: return fr ? "booléen" : "bool";
    case TypeKind::Integer: return fr ? "entier" : "integer";
    case TypeKind::Date: return "date";
    case TypeKind::String: return fr ? "texte" : "string";
    case TypeKind::Article: return "article";
    case TypeKind::Enum: return e;
    case TypeKind::Set: return (fr ? "ensemble de " : "set of ") + e;
  }
  return "?";
}

std::string fact_default(const Program& p, const FactInfo& f, Keywords k) {
  if (f.default_kind == DefaultKind::Today) return k == Keywords::French ? "aujourd'hui" : "today";
  if (f.default_kind == DefaultKind::Constant) return rule_literal(p, f.type, f.default_value, k);
  return {};
}

std::string fact_declaration(const Program& p, const FactInfo& f, Keywords k) {
  std::string out = fmt::format("{} {} : {}", k == Keywords::French ? "fait" : "fact", f.name, type_text(p, f.type, k));
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

std::string output_declaration(const Program& p, const OutputInfo& o, Keywords k) {
  std::string out = fmt::format("{} {} : {}", k == Keywords::French ? "sortie" : "output", o.name, output_type(p, o, k));
  if (const std::string d = output_default(p, o); !d.empty()) out += " = " + d;
  return out;
}

std::string enum_declaration(const EnumInfo& e, Keywords k) {
  std::vector<std::string> members;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    const bool labelled = m < e.labels.size() && !e.labels[m].empty();
    members.push_back(labelled ? fmt::format("{} {}", e.members[m], quoted(e.labels[m])) : e.members[m]);
  }
  return fmt::format("{} {} {{ {} }}", k == Keywords::French ? "énumération" : "enum", e.name, join(members));
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

RuleText rule_text(const Program& p, std::uint32_t r, const Decompiled& d, Keywords k) {
  const RuleInfo& rule = p.rules[r];
  RuleText t{rule.name, where(rule), {}};
  const auto add = [&](const char* clause, const std::string& text) {
    if (!text.empty()) t.clauses.emplace_back(clause, text);
  };
  add("title", rule.title.empty() ? "" : quoted(rule.title));
  add("cite", rule.cite.empty() ? "" : quoted(rule.cite));
  add("validity", validity_text(rule, k));
  add("overrides", join(rule_names(p, rule.overrides)));
  add("when", d.when[r]);
  add("then", effects_text(p, rule));
  add("because", rule.because.empty() ? "" : quoted(rule.because));
  add("note", rule.note.empty() ? "" : quoted(rule.note));
  return t;
}

std::string file_word(std::string s) {
  for (char& c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') c = '_';
  }
  return s;
}

class Differ {
 public:
  Differ(const Program& o, const Program& n, const DiffOptions& options)
      : old_(o), new_(n), options_(options), space_(ctx_, {&o, &n}),
        old_sym_(smt::encode(ctx_, o, space_.fact_slots(0))), new_sym_(smt::encode(ctx_, n, space_.fact_slots(1))),
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
    if (!behaviour()) return error_;
    return std::move(report_);
  }

 private:
  static ProgramHeader header(const Program& p, const std::string& label) {
    return {label, p.name, p.version, fmt::format("{:016x}", p.source_hash)};
  }

  // ----- text ------------------------------------------------------------------------------------

  void vocabulary() {
    const Keywords k = report_.keywords;
    if (old_.name != new_.name || old_.version != new_.version) {
      VocabularyChange v{"rulebase", new_.name, "changed", {}};
      if (old_.name != new_.name) v.details.push_back({"name", quoted(old_.name), quoted(new_.name), false});
      if (old_.version != new_.version) v.details.push_back({"version", quoted(old_.version), quoted(new_.version), false});
      report_.vocabulary.push_back(std::move(v));
    }
    // Enumerations, by name.
    for (const EnumInfo& e : old_.enums) {
      const auto it = std::find_if(new_.enums.begin(), new_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; });
      if (it == new_.enums.end()) {
        report_.vocabulary.push_back({"enum", e.name, "removed", {{"declaration", enum_declaration(e, k), "", false}}});
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
      if (!gone.empty() || !came.empty()) v.details.push_back({"members", join(gone), join(came), false});
      if (enum_declaration(e, k) != enum_declaration(*it, k) && gone.empty() && came.empty()) {
        v.details.push_back({"labels", enum_declaration(e, k), enum_declaration(*it, k), false});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const EnumInfo& e : new_.enums) {
      if (std::none_of(old_.enums.begin(), old_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; })) {
        report_.vocabulary.push_back({"enum", e.name, "added", {{"declaration", "", enum_declaration(e, k), false}}});
      }
    }
    // Facts, by name.
    for (const FactInfo& f : old_.facts) {
      const auto nf = new_.find_fact(f.name);
      if (!nf) {
        report_.vocabulary.push_back({"fact", f.name, "removed", {{"declaration", fact_declaration(old_, f, k), "", false}}});
        continue;
      }
      const FactInfo& g = new_.facts[*nf];
      VocabularyChange v{"fact", f.name, "changed", {}};
      const std::string ot = type_text(old_, f.type, k), nt = type_text(new_, g.type, k);
      if (ot != nt || f.type.kind != g.type.kind) v.details.push_back({"type", ot, nt, false});
      const std::string od = fact_default(old_, f, k), nd = fact_default(new_, g, k);
      if (od != nd) v.details.push_back({"default", od, nd, false});
      if (f.question != g.question) v.details.push_back({"question", quoted(f.question), quoted(g.question), false});
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const FactInfo& f : new_.facts) {
      if (!old_.find_fact(f.name)) {
        report_.vocabulary.push_back({"fact", f.name, "added", {{"declaration", "", fact_declaration(new_, f, k), false}}});
      }
    }
    // Outputs, by name.
    for (const OutputInfo& o : old_.outputs) {
      const auto no = new_.find_output(o.name);
      if (!no) {
        report_.vocabulary.push_back({"output", o.name, "removed", {{"declaration", output_declaration(old_, o, k), "", false}}});
        continue;
      }
      const OutputInfo& g = new_.outputs[*no];
      VocabularyChange v{"output", o.name, "changed", {}};
      if (o.kind != g.kind || output_type(old_, o, k) != output_type(new_, g, k)) {
        v.details.push_back({"type", output_type(old_, o, k), output_type(new_, g, k), false});
      }
      if (output_default(old_, o) != output_default(new_, g)) {
        v.details.push_back({"default", output_default(old_, o), output_default(new_, g), false});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const OutputInfo& o : new_.outputs) {
      if (!old_.find_output(o.name)) {
        report_.vocabulary.push_back({"output", o.name, "added", {{"declaration", "", output_declaration(new_, o, k), false}}});
      }
    }
    definitions();
  }

  void definitions() {
    const char* word = report_.keywords == Keywords::French ? "définition" : "define";
    for (const DefinitionText& d : old_text_.definitions) {
      const auto it = std::find_if(new_text_.definitions.begin(), new_text_.definitions.end(),
                                   [&](const DefinitionText& x) { return x.name == d.name; });
      if (it == new_text_.definitions.end()) {
        report_.vocabulary.push_back(
            {"definition", d.name, "removed", {{"declaration", fmt::format("{} {} = {}", word, d.name, d.body), "", false}}});
        continue;
      }
      if (it->body == d.body) continue;
      bool same = false;
      const Type ot = old_.slot_types[d.slot], nt = new_.slot_types[it->slot];
      if (ot.kind == TypeKind::Bool && nt.kind == TypeKind::Bool) {
        same = search_.exists(!smt::same_values(old_sym_.slots[d.slot], new_sym_.slots[it->slot])) == smt::Answer::No;
      }
      report_.vocabulary.push_back({"definition", d.name, "changed", {{"body", d.body, it->body, same}}});
    }
    for (const DefinitionText& d : new_text_.definitions) {
      if (std::none_of(old_text_.definitions.begin(), old_text_.definitions.end(),
                       [&](const DefinitionText& x) { return x.name == d.name; })) {
        report_.vocabulary.push_back(
            {"definition", d.name, "added", {{"declaration", "", fmt::format("{} {} = {}", word, d.name, d.body), false}}});
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
      for (const char* clause : {"title", "cite", "validity", "overrides", "when", "then", "because", "note"}) {
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
          const smt::Sym always{ctx_.bool_val(false), {ctx_.bool_val(false), ctx_.bool_val(true)}, {}, ctx_.bool_val(false), ctx_.bool_val(false), ctx_.int_val(0)};
          const smt::Sym& ow = old_sym_.when[r] ? *old_sym_.when[r] : always;
          const smt::Sym& nw = new_sym_.when[*nr] ? *new_sym_.when[*nr] : always;
          same = search_.exists(!smt::same_firing(ow, nw)) == smt::Answer::No;
        }
        change.changes.push_back({clause, x, y, same});
      }
      if (!change.changes.empty()) report_.changed.push_back(std::move(change));
    }
    for (std::uint32_t r = 0; r < new_.rules.size(); ++r) {
      if (!old_.find_rule(new_.rules[r].name)) report_.added.push_back(rule_text(new_, r, new_text_, k));
    }
  }

  // ----- behaviour -------------------------------------------------------------------------------

  // An output's answer as one integer over the members of both versions: a member's index in
  // `members`, -1 unknown, -2 conflict.
  z3::expr code(const Program& p, const smt::OutputSym& o, const OutputInfo& info, const std::vector<std::string>& members) {
    z3::expr value = ctx_.int_val(-1);
    const auto& own = p.enums[info.enum_id].members;
    for (std::size_t m = own.size(); m-- > 0;) {
      const auto u = std::find(members.begin(), members.end(), own[m]) - members.begin();
      value = z3::ite(o.value == ctx_.int_val(static_cast<std::int64_t>(m)), ctx_.int_val(static_cast<std::int64_t>(u)), value);
    }
    return z3::ite(o.conflict, ctx_.int_val(-2), z3::ite(o.known, value, ctx_.int_val(-1)));
  }

  static std::int64_t code_of(const Program& p, const Result& r, std::uint32_t o, const std::vector<std::string>& members) {
    const OutputValue& v = r.outputs[o];
    if (v.conflict) return -2;
    if (!v.value.known) return -1;
    const std::string& m = p.enums[p.outputs[o].enum_id].members[static_cast<std::size_t>(v.value.payload)];
    return std::find(members.begin(), members.end(), m) - members.begin();
  }

  std::optional<Result> run_case(const Program& p, const smt::Witness& w, std::size_t index) {
    return smt::run_witness(p, w, index, options_.today, error_);
  }

  static bool touches(const Effect& e, std::uint32_t o, std::optional<std::uint32_t> member) {
    return e.output == o && (!member || ((e.value >> *member) & 1U) != 0);
  }

  static Decision decision(const Program& p, const Result& r, std::uint32_t o, std::optional<std::uint32_t> member) {
    Decision d;
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = r.outputs[o];
    const auto rule_touches = [&](std::uint32_t rule) {
      if (info.kind == OutputKind::Set && !member) return false;  // a member this version does not have
      return std::any_of(p.rules[rule].effects.begin(), p.rules[rule].effects.end(),
                         [&](const Effect& e) { return touches(e, o, member); });
    };
    if (info.kind == OutputKind::Set) {
      d.value = p.format_value({TypeKind::Set, info.enum_id}, v.value);
    } else if (v.conflict) {
      d.conflict = true;
    } else if (v.value.known) {
      d.value = p.enums[info.enum_id].members[static_cast<std::size_t>(v.value.payload)];
    }
    for (const std::uint32_t f : r.fired) {
      if (rule_touches(f)) d.decided_by.push_back(p.rules[f].name);
    }
    for (const Overridden& x : r.overridden) {
      if (rule_touches(x.rule)) d.set_aside.emplace_back(p.rules[x.rule].name, p.rules[x.by].name);
    }
    for (const Conflict& c : r.conflicts) {
      if (c.output == o) d.conflicting = {p.rules[c.first].name, p.rules[c.second].name};
    }
    d.by_default = info.kind == OutputKind::Scalar && !d.conflict && d.decided_by.empty() && info.has_default;
    return d;
  }

  static std::string answer_words(const Decision& d) {
    if (d.conflict) return "a conflict";
    return d.value.empty() ? "unknown" : d.value;
  }

  static std::string grounds(const Decision& d, const BehaviourChange& c) {
    std::string out;
    if (c.set) {
      out = d.decided_by.empty() ? fmt::format("no rule adds `{}`", c.member)
                                 : fmt::format("`{}` added by {}", c.member, backticked(d.decided_by));
    } else if (d.conflict) {
      out = fmt::format("`{}` and `{}` set it to different values and neither overrides the other",
                        d.conflicting.size() > 0 ? d.conflicting[0] : "?", d.conflicting.size() > 1 ? d.conflicting[1] : "?");
    } else if (!d.decided_by.empty()) {
      out = fmt::format("decided by {}", backticked(d.decided_by));
    } else {
      out = d.by_default ? "no rule decides: the default stands" : "no rule decides";
    }
    for (const auto& [rule, by] : d.set_aside) out += fmt::format("; `{}` is set aside by `{}`", rule, by);
    return out;
  }

  // The case file of a witness, with comments saying what it shows and how to check it.
  std::string case_file(const BehaviourChange& c, std::size_t number) const {
    std::vector<std::string> comments;
    const std::string what =
        c.set ? fmt::format("`{}` holds `{}` with {} and not with {}", c.output, c.member, c.member_added ? "NEW" : "OLD",
                            c.member_added ? "OLD" : "NEW")
              : fmt::format("`{}` is {} with OLD and {} with NEW", c.output, answer_words(c.old_side), answer_words(c.new_side));
    comments.push_back(fmt::format("secretc diff, witness {}: {}", number, what));
    const auto side = [&](const char* word, const std::string& label, const Program& p, const Decision& d) {
      comments.push_back(fmt::format("{}: {} (rulebase \"{}\" version \"{}\")", word, label, p.name, p.version));
      comments.push_back(fmt::format("  {} = {}: {}", c.output, c.set ? d.value : answer_words(d), grounds(d, c)));
    };
    side("OLD", options_.old_label, old_, c.old_side);
    side("NEW", options_.new_label, new_, c.new_side);
    for (const smt::WitnessLine& l : c.witness.lines) {
      for (std::size_t p = 0; p < l.readable.size(); ++p) {
        if (l.readable[p]) continue;
        const char* word = p == 0 ? "OLD" : "NEW";
        comments.push_back(fmt::format("`{} = {}` means nothing to {} (a fact, type or member it does not know): {} answers as",
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

  // Records a witness once the VM, run on the case file, confirms what the solver claims.
  bool record(BehaviourChange c, const smt::Witness& w, std::uint32_t old_o, std::uint32_t new_o,
              std::optional<std::uint32_t> old_member, std::optional<std::uint32_t> new_member, const Result& a,
              const Result& b) {
    c.witness = w;
    c.old_side = decision(old_, a, old_o, old_member);
    c.new_side = decision(new_, b, new_o, new_member);
    const std::size_t number = report_.behaviour.size() + 1;
    if (c.set) {
      c.file_name = fmt::format("{}_{}_{}_{}.fact", number, file_word(c.output), file_word(c.member),
                                c.member_added ? "added" : "removed");
    } else {
      const auto word = [](const Decision& d) { return d.conflict ? "conflict" : d.value.empty() ? "unknown" : d.value; };
      c.file_name = fmt::format("{}_{}_{}_to_{}.fact", number, file_word(c.output), file_word(word(c.old_side)),
                                file_word(word(c.new_side)));
    }
    c.case_file = case_file(c, number);
    report_.behaviour.push_back(std::move(c));
    return true;
  }

  bool scalar(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    const OutputInfo& ni = new_.outputs[no];
    const z3::expr a = code(old_, old_sym_.outputs[o], oi, members);
    const z3::expr b = code(new_, new_sym_.outputs[no], ni, members);
    z3::expr goal = a != b;
    for (std::size_t found = 0;; ++found) {
      if (found == options_.max_changes_per_output) {
        if (search_.exists(goal) != smt::Answer::No) report_.truncated.push_back(oi.name);
        return true;
      }
      smt::Answer answer = smt::Answer::Unknown;
      const auto w = search_.witness(goal, report_.keywords, options_.today, answer);
      if (answer == smt::Answer::Unknown) report_.inconclusive.push_back(oi.name);
      if (!w) return true;
      const auto ra = run_case(old_, *w, 0);
      const auto rb = run_case(new_, *w, 1);
      if (!ra || !rb) return false;
      const std::int64_t ca = code_of(old_, *ra, o, members), cb = code_of(new_, *rb, no, members);
      if (ca == cb) {
        error_ = fmt::format("internal error: the solver claims `{}` differs on a case where the VM answers alike:\n{}",
                             oi.name, w->file_text({}));
        return false;
      }
      record({oi.name, false, {}, false, {}, {}, {}, {}, {}}, *w, o, no, std::nullopt, std::nullopt, *ra, *rb);
      goal = goal && !(a == ctx_.int_val(ca) && b == ctx_.int_val(cb));
    }
  }

  bool set(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    const OutputInfo& ni = new_.outputs[no];
    for (const std::string& m : members) {
      const auto om = old_.find_member(oi.enum_id, m);
      const auto nm = new_.find_member(ni.enum_id, m);
      const z3::expr in_old = om ? old_sym_.outputs[o].sure[*om] : ctx_.bool_val(false);
      const z3::expr in_new = nm ? new_sym_.outputs[no].sure[*nm] : ctx_.bool_val(false);
      for (const bool added : {false, true}) {
        smt::Answer answer = smt::Answer::Unknown;
        const auto w = search_.witness(added ? (!in_old && in_new) : (in_old && !in_new), report_.keywords, options_.today, answer);
        if (answer == smt::Answer::Unknown) report_.inconclusive.push_back(fmt::format("{} ({})", oi.name, m));
        if (!w) continue;
        const auto ra = run_case(old_, *w, 0);
        const auto rb = run_case(new_, *w, 1);
        if (!ra || !rb) return false;
        const auto holds = [](const Result& r, std::uint32_t out, std::optional<std::uint32_t> member) {
          return member && ((static_cast<std::uint64_t>(r.outputs[out].value.payload) >> *member) & 1U) != 0;
        };
        if (holds(*ra, o, om) == holds(*rb, no, nm) || holds(*rb, no, nm) != added) {
          error_ = fmt::format("internal error: the solver claims `{}` differs on `{}` on a case where the VM answers alike:\n{}",
                               oi.name, m, w->file_text({}));
          return false;
        }
        record({oi.name, true, m, added, {}, {}, {}, {}, {}}, *w, o, no, om, nm, *ra, *rb);
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
