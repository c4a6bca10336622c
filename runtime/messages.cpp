#include "runtime/messages.hpp"

#include <array>

#include <fmt/args.h>

namespace secretc {

namespace {
struct Wording {
  const char* en;
  const char* fr;
};
constexpr std::array<Wording, static_cast<std::size_t>(Msg::Count_)> kWordings{{
#define SECRETC_MESSAGE(id, en, fr) {en, fr},
#include "runtime/messages.def"
#undef SECRETC_MESSAGE
}};
}  // namespace

const char* message_template(Msg id, TextLang lang) {
  const Wording& w = kWordings.at(static_cast<std::size_t>(id));
  return lang == TextLang::French ? w.fr : w.en;
}

std::string message_text(const Message& m, TextLang lang) {
  if (m.id == Msg::Count_) return {};
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const std::string& a : m.args) store.push_back(a);
  return fmt::vformat(message_template(m.id, lang), store);
}

}  // namespace secretc
