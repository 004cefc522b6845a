#pragma once

/// @file
/// The common interface of every imputer (mean, kNN, MICE, and the neural and quantum models):
/// fit on the observed cells of a matrix, then fill the unobserved cells of a matrix.
///
/// The public fit() and transform() are non-virtual: they check sizes and finiteness, call the
/// model's fit_impl()/transform_impl(), and then guarantee the contract (observed cells come back
/// unchanged, every cell is finite). A trainable model implements a masked loss naturally: it
/// receives the data together with the `observed` mask and must only use cells where the mask is
/// true (unobserved cells may hold NaN or any other value).

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace papillon::impute {

/// Work counters an imputer may report (for example "circuits", "shots", "epochs"); the
/// evaluation report sums them over runs.
using evaluation_counts = std::map<std::string, std::uint64_t>;

/// The loss per epoch of a model trained by epochs (the neural and hybrid imputers); empty for
/// the others. Reports and plots read it.
struct training_curve {
  std::vector<double> train_loss{};       ///< mean training loss of each epoch
  std::vector<double> validation_loss{};  ///< validation loss of each epoch (empty: none)
  std::vector<std::string> stage{};       ///< the schedule stage of each epoch
  /// What each epoch sent to hardware (the quantum layer's circuits, shots and backend calls,
  /// plus its training backend's usage(): remote jobs, money); empty for models without a
  /// quantum layer, or when a resumed run lacks the epochs before the interruption.
  std::vector<evaluation_counts> usage{};

  [[nodiscard]] bool empty() const noexcept { return train_loss.empty(); }
};

/// Base class of the imputers. Polymorphic and therefore not copyable.
class imputer {
 public:
  imputer() = default;
  virtual ~imputer() = default;
  imputer(const imputer&) = delete;
  imputer& operator=(const imputer&) = delete;
  imputer(imputer&&) = delete;
  imputer& operator=(imputer&&) = delete;

  /// A short stable name for reports, such as "mean", "knn", "mice".
  [[nodiscard]] virtual std::string name() const = 0;

  /// Learns from the observed cells.
  /// @param x rows x features; only cells with observed = true are read
  /// @param observed true where a value is present
  /// @throws dimension_error on mismatched sizes; data_error if an observed cell is not finite,
  ///   or whatever the model throws
  void fit(const Eigen::MatrixXd& x, const data::cell_mask& observed);

  /// Completes a matrix with the same features as the fitted one.
  /// @return x with every unobserved cell filled; observed cells unchanged
  /// @throws data_error if not fitted or a filled value is not finite; dimension_error on a
  ///   feature-count mismatch
  [[nodiscard]] Eigen::MatrixXd transform(const Eigen::MatrixXd& x,
                                          const data::cell_mask& observed) const;

  /// fit() then transform() on the same data.
  [[nodiscard]] Eigen::MatrixXd fit_transform(const Eigen::MatrixXd& x,
                                              const data::cell_mask& observed) {
    fit(x, observed);
    return transform(x, observed);
  }

  /// Whether fit() has completed.
  [[nodiscard]] bool fitted() const noexcept { return m_features > 0; }
  /// The feature count seen by fit() (0 before).
  [[nodiscard]] index_t features() const noexcept { return m_features; }

  /// Work done so far (model evaluations, circuits, shots ...); empty by default.
  [[nodiscard]] virtual evaluation_counts evaluations() const { return {}; }

  /// The training curve of the last fit() (empty for models that do not train by epochs).
  [[nodiscard]] virtual training_curve history() const { return {}; }

  /// Asks the next fit() to checkpoint its training to `file` and, when `file` exists, to
  /// resume from it (an interrupted run then loses no finished epoch).
  /// @return false if the model has no training worth resuming (mean, kNN, MICE), which then
  ///   ignore the request
  virtual bool use_checkpoint(const std::filesystem::path& file) {
    static_cast<void>(file);
    return false;
  }

 protected:
  /// The model's training. Sizes are already checked and observed cells are finite.
  virtual void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) = 0;
  /// The model's completion: must return a rows x features matrix whose unobserved cells are
  /// filled; observed cells are restored by transform() whatever this returns for them.
  [[nodiscard]] virtual Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                                       const data::cell_mask& observed) const = 0;

 private:
  static void check_input(const Eigen::MatrixXd& x, const data::cell_mask& observed,
                          const char* where);
  index_t m_features = 0;
};

/// Fits an imputer on a table (NaN = missing) and returns the completed table.
/// @throws as imputer::fit() and imputer::transform()
[[nodiscard]] data::table impute_table(imputer& model, const data::table& t);

}  // namespace papillon::impute
