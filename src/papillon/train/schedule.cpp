// Stage selectors: which parameters a stage trains.

#include <papillon/train/schedule.hpp>

#include <string>
#include <string_view>

namespace papillon::train {

void apply_selectors(nn::sequential& model, const std::vector<std::string>& selectors) {
  constexpr std::string_view where = "train::apply_selectors";
  // Validate every selector before changing any mask.
  for (const auto& s : selectors) {
    if (s == "*") continue;
    if (s.rfind("group:", 0) == 0) {
      const auto g = std::string_view(s).substr(6);
      bool found = false;
      for (index_t i = 0; i < model.size(); ++i) found = found || model[i].group() == g;
      if (!found) throw data_error(where, "no layer in that group", "'" + s + "'");
      continue;
    }
    const auto slash = s.find('/');
    const auto layer_name = std::string_view(s).substr(0, slash);
    if (!model.contains(layer_name))
      throw data_error(where, "no layer of that name", "'" + s + "'");
    if (slash == std::string::npos) continue;
    const auto block = std::string_view(s).substr(slash + 1);
    bool found = false;
    for (const auto& b : model.find(layer_name).parameter_blocks())
      found = found || b.name == block;
    if (!found) throw data_error(where, "no parameter block of that name", "'" + s + "'");
  }
  model.set_trainable(false);
  for (const auto& s : selectors) {
    if (s == "*") {
      model.set_trainable(true);
    } else if (s.rfind("group:", 0) == 0) {
      for (index_t i = 0; i < model.size(); ++i)
        if (model[i].group() == std::string_view(s).substr(6)) model[i].set_trainable(true);
    } else if (const auto slash = s.find('/'); slash == std::string::npos) {
      model.find(s).set_trainable(true);
    } else {
      model.find(std::string_view(s).substr(0, slash))
          .set_trainable(std::string_view(s).substr(slash + 1), true);
    }
  }
}

}  // namespace papillon::train
