// Installed C++ runtime: the same case as consumer.c, through load_program, bind_case and Machine.
#include <fstream>
#include <iostream>
#include <sstream>
#include <variant>

#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

int main() {
  std::ifstream in(SECBC, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto loaded = secretc::load_program(bytes.str());
  if (const auto* e = std::get_if<secretc::BytecodeError>(&loaded)) {
    std::cerr << "consumer_cpp: " << e->message << "\n";
    return 1;
  }
  const secretc::Program& program = std::get<secretc::Program>(loaded);
  std::vector<secretc::CaseEntry> entries{{"cas.date", secretc::CaseValueKind::Date, "2024-05-01", {}, {}},
                                          {"confident.fonction", secretc::CaseValueKind::Word, "medecin", {}, {}},
                                          {"situation", secretc::CaseValueKind::Word, "temoignage_en_justice", {}, {}}};
  secretc::Diagnostics diags;
  const secretc::BoundCase bound = secretc::bind_case(program, entries, 0, diags);
  if (diags.has_errors()) return 1;
  secretc::Machine machine(program);
  const secretc::Result& result = machine.evaluate(bound.facts, &bound.given);
  const auto o = *program.find_output("verdict");
  const secretc::OutputValue& v = result.outputs[o];
  std::cout << "verdict="
            << (v.value.known
                    ? program.enums[program.outputs[o].enum_id].members[static_cast<std::size_t>(v.value.payload)]
                    : std::string("none"))
            << " settled=" << (v.settled ? 1 : 0) << " fired=" << result.fired.size() << "\n";
  return 0;
}
