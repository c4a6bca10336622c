#include "compiler/lower.hpp"

#include <map>
#include <tuple>

namespace secretc {

namespace {

using ast::Expr;
using ast::ExprKind;

class Lowerer {
 public:
  explicit Lowerer(const Model& m) : m_(m) {}

  Program run() {
    p_.name = m_.name;
    p_.version = m_.version;
    p_.source_hash = m_.source_hash;
    p_.law_as_of = m_.law_as_of;
    if (m_.date_fact >= 0) p_.date_fact = static_cast<std::uint32_t>(m_.date_fact);
    p_.strings = m_.strings;
    p_.enums = m_.enums;
    p_.themes = m_.themes;
    for (std::size_t i = 0; i < m_.ast.facts.size(); ++i) {
      FactInfo f;
      f.name = m_.ast.facts[i].name;
      f.type = m_.fact_types[i];
      f.default_kind = m_.fact_default_kinds[i];
      f.default_value = m_.fact_defaults[i];
      const auto& fd = m_.ast.facts[i];
      f.question = fd.question;
      f.question_tr = fd.question_tr;
      f.help = fd.help;
      f.help_tr = fd.help_tr;
      f.lang = fd.lang == ast::Lang::English ? TextLang::English : TextLang::French;
      p_.facts.push_back(f);
      p_.slot_types.push_back(f.type);
      p_.slot_names.push_back(f.name);
    }
    p_.outputs = m_.outputs;
    for (std::size_t r = 0; r < m_.ast.rules.size(); ++r) {
      const auto& a = m_.ast.rules[r];
      RuleInfo info;
      info.kind = a.warning ? RuleKind::Warning : RuleKind::Rule;
      info.name = a.name;
      info.title = a.title;
      info.cite = a.cite;
      info.because = a.because;
      info.note = a.note;
      info.valid_from = a.valid_from;
      info.valid_until = a.valid_until;
      info.validity_reason = a.validity_reason;
      info.title_tr = a.title_tr;
      info.because_tr = a.because_tr;
      info.note_tr = a.note_tr;
      info.validity_reason_tr = a.validity_reason_tr;
      info.lang = a.lang == ast::Lang::English ? TextLang::English : TextLang::French;
      info.effects = m_.effects[r];
      info.overrides = m_.overrides[r];
      info.overriders = m_.overriders[r];
      info.facts_read = m_.facts_read[r];
      info.provisos = m_.provisos[r];
      info.source_file = a.file;
      info.source_line = a.at.line;
      p_.rules.push_back(std::move(info));
    }
    std::uint32_t provisos = 0;
    for (const auto& a : m_.ast.rules) {
      proviso_base_.push_back(provisos);
      provisos += static_cast<std::uint32_t>(a.provisos.size());
    }
    define_slot_.assign(m_.ast.defines.size(), 0);
    output_slot_.assign(m_.outputs.size(), 0);
    for (const EvalStep& step : m_.order) {
      switch (step.kind) {
        case EvalStep::Kind::Define: {
          const std::uint32_t value = lower(*m_.ast.defines[step.index].value);
          define_slot_[step.index] = value;
          p_.slot_names[value] = m_.ast.defines[step.index].name;
          break;
        }
        case EvalStep::Kind::Rule: {
          const auto& a = m_.ast.rules[step.index];
          for (std::size_t k = 0; k < a.provisos.size(); ++k) {
            emit(Opcode::Proviso, proviso_base_[step.index] + static_cast<std::uint32_t>(k),
                 lower(*a.provisos[k].condition));
          }
          emit(Opcode::Fire, step.index, a.when ? lower(*a.when) : boolean(true));
          break;
        }
        case EvalStep::Kind::Resolve:
          emit(Opcode::Resolve, step.index);
          if (m_.output_read[step.index]) {
            const OutputInfo& o = m_.outputs[step.index];
            const std::uint32_t slot = temp({o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id},
                                            m_.outputs[step.index].name);
            emit(Opcode::LoadOutput, slot, step.index);
            output_slot_[step.index] = slot;
          }
          break;
      }
    }
    p_.index_names();
    return std::move(p_);
  }

 private:
  std::uint32_t temp(Type t, std::string name = {}) {
    p_.slot_types.push_back(t);
    p_.slot_names.push_back(std::move(name));
    return static_cast<std::uint32_t>(p_.slot_types.size() - 1);
  }

  void emit(Opcode op, std::uint32_t a, std::uint32_t b = 0, std::uint32_t c = 0) { p_.code.push_back({op, a, b, c}); }

  // A constant: the table holds each (type, value) once, and it is loaded into a slot once, at its
  // first use; the code is straight-line, so that load precedes every later use.
  std::uint32_t constant(Type t, std::int64_t payload) {
    const auto key = std::make_tuple(static_cast<int>(t.kind), t.enum_id, payload);
    auto [it, fresh] = constants_.emplace(key, static_cast<std::uint32_t>(p_.constants.size()));
    if (fresh) {
      p_.constants.push_back(Value::of(payload));
      p_.constant_types.push_back(t);
      const std::uint32_t slot = temp(t);
      emit(Opcode::Const, slot, it->second);
      constant_slot_.push_back(slot);
    }
    return constant_slot_[it->second];
  }

  std::uint32_t boolean(bool b) { return constant({TypeKind::Bool, 0}, b ? 1 : 0); }

  std::uint32_t binary(Opcode op, std::uint32_t x, std::uint32_t y) {
    const std::uint32_t slot = temp({TypeKind::Bool, 0});
    emit(op, slot, x, y);
    return slot;
  }

  std::uint32_t negate(std::uint32_t x) {
    const std::uint32_t slot = temp({TypeKind::Bool, 0});
    emit(Opcode::Not, slot, x);
    return slot;
  }

  std::uint32_t lower(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return constant(e.type, e.literal_kind == ast::LiteralKind::String ? e.target : e.number);
      case ExprKind::Name:
        switch (e.name_kind) {
          case ast::NameKind::Fact:
            return e.target;
          case ast::NameKind::Definition:
            return define_slot_[e.target];
          case ast::NameKind::Output:
            return output_slot_[e.target];
          case ast::NameKind::Member:
            return constant(e.type, e.target);
          case ast::NameKind::Unresolved:
            break;
        }
        return boolean(false);
      case ExprKind::Not:
        return negate(lower(*e.operands[0]));
      case ExprKind::And:
      case ExprKind::Or: {
        std::uint32_t acc = lower(*e.operands[0]);
        for (std::size_t i = 1; i < e.operands.size(); ++i) {
          acc = binary(e.kind == ExprKind::And ? Opcode::And : Opcode::Or, acc, lower(*e.operands[i]));
        }
        return acc;
      }
      case ExprKind::IsKnown: {
        const std::uint32_t slot = temp({TypeKind::Bool, 0});
        emit(Opcode::Known, slot, lower(*e.operands[0]));
        return e.negated ? negate(slot) : slot;
      }
      case ExprKind::Compare: {
        // a < b < c is a < b and b < c, each operand computed once.
        std::uint32_t left = lower(*e.operands[0]);
        std::uint32_t acc = 0;
        for (std::size_t i = 0; i < e.ops.size(); ++i) {
          const std::uint32_t right = lower(*e.operands[i + 1]);
          const std::uint32_t cmp = binary(compare_opcode(e.ops[i]), left, right);
          acc = i == 0 ? cmp : binary(Opcode::And, acc, cmp);
          left = right;
        }
        return acc;
      }
      case ExprKind::In:
        return membership(e);
    }
    return boolean(false);
  }

  static Opcode compare_opcode(ast::CompareOp op) {
    switch (op) {
      case ast::CompareOp::Eq:
        return Opcode::Eq;
      case ast::CompareOp::Ne:
        return Opcode::Ne;
      case ast::CompareOp::Lt:
        return Opcode::Lt;
      case ast::CompareOp::Le:
        return Opcode::Le;
      case ast::CompareOp::Gt:
        return Opcode::Gt;
      case ast::CompareOp::Ge:
        return Opcode::Ge;
    }
    return Opcode::Eq;
  }

  std::uint32_t membership(const Expr& e) {
    const Expr& x = *e.operands[0];
    const std::uint32_t value = lower(x);
    const std::vector<ast::SetItem>* items = nullptr;
    if (e.set_literal) {
      items = &e.set_items;
    } else {
      const Expr& set = *e.operands[1];
      if (set.name_kind == ast::NameKind::Output) {
        const std::uint32_t r = binary(Opcode::In, value, output_slot_[set.target]);
        return e.negated ? negate(r) : r;
      }
      items = &m_.ast.defines[set.target].value->set_items;
    }
    std::uint32_t result = 0;
    if (x.type.kind == TypeKind::Enum) {
      std::uint64_t mask = 0;
      for (const auto& item : *items) mask |= std::uint64_t{1} << item.lo->target;
      const Type type{TypeKind::Set, x.type.enum_id};
      std::uint32_t set = constant(type, static_cast<std::int64_t>(mask));
      if (!e.set_literal) {
        // A named set of members is a slot of its own, under its name, loaded at its first use: the
        // disassembler and `diff` show `x dans nom` and the definition once, as the rule file writes them.
        const std::uint32_t define = e.operands[1]->target;
        auto [it, fresh] = named_sets_.emplace(define, 0);
        if (fresh) {
          it->second = temp(type, m_.ast.defines[define].name);
          emit(Opcode::Move, it->second, set);
        }
        set = it->second;
      }
      result = binary(Opcode::In, value, set);
    } else if (items->empty()) {
      // x ≠ x: false when x is known, unknown when it is not. Membership of an unknown value is unknown,
      // in an empty set as in any other (as the `in` instruction does for enumerations).
      result = binary(Opcode::Ne, value, value);
    } else {
      bool first = true;
      for (const auto& item : *items) {
        std::uint32_t test = 0;
        if (item.hi) {
          test = binary(Opcode::And, binary(Opcode::Ge, value, lower(*item.lo)),
                        binary(Opcode::Le, value, lower(*item.hi)));
        } else {
          test = binary(Opcode::Eq, value, lower(*item.lo));
        }
        result = first ? test : binary(Opcode::Or, result, test);
        first = false;
      }
    }
    return e.negated ? negate(result) : result;
  }

  const Model& m_;
  Program p_;
  std::vector<std::uint32_t> define_slot_;
  std::vector<std::uint32_t> proviso_base_;  // per rule: the program-wide number of its first proviso
  std::vector<std::uint32_t> output_slot_;
  std::map<std::tuple<int, std::uint32_t, std::int64_t>, std::uint32_t> constants_;
  std::vector<std::uint32_t> constant_slot_;           // per constant, the slot it was loaded into
  std::map<std::uint32_t, std::uint32_t> named_sets_;  // per constant set of members (define index): its named slot
};

}  // namespace

Program lower_program(const Model& model) {
  return Lowerer(model).run();
}

}  // namespace secretc
