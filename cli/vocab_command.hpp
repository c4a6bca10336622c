// `secretc vocab`: a rulebase's vocabulary, as text for people and as JSON for programs.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/report.hpp"
#include "runtime/program.hpp"

namespace secretc {

// Every fact (name, type, theme, question, help, members with their labels and synonyms, default), the
// themes and the outputs, texts in `lang` where the rulebase gives them. docs/case-files.md §4 describes it.
nlohmann::ordered_json vocabulary_json(const Program& program, ReportLang lang);
std::string vocabulary_text(const Program& program, ReportLang lang);

}  // namespace secretc
