// The imputers (papillon/impute/) for papillon.sklearn: a missing cell is a NaN, every other cell
// is observed (a non-finite observed cell is refused by the library).

#include <papillon/impute/imputer.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/mice_imputer.hpp>
#include <papillon/impute/neural_imputer.hpp>

#include <cmath>
#include <memory>

#include "bindings.hpp"

namespace papillon::python {

namespace {

struct masked {
  Eigen::MatrixXd x;
  data::cell_mask observed;
};

masked split_nan(const py::array_t<double, py::array::forcecast>& a, std::string_view where) {
  masked m{to_matrix(a, where), {}};
  m.observed = m.x.array().isNaN() == false;
  return m;
}

}  // namespace

void bind_imputers(py::module_& m) {
  py::class_<impute::imputer, std::shared_ptr<impute::imputer>>(
      m, "ImputerCore",
      "A papillon imputer; papillon.sklearn wraps it as a scikit-learn estimator.")
      .def_property_readonly("name", &impute::imputer::name)
      .def_property_readonly("fitted", &impute::imputer::fitted)
      .def_property_readonly("features", &impute::imputer::features)
      .def(
          "fit",
          [](impute::imputer& im, const py::array_t<double, py::array::forcecast>& x) {
            const masked d = split_nan(x, "impute::fit");
            py::gil_scoped_release nogil;
            im.fit(d.x, d.observed);
          },
          py::arg("x"), "Fits on x; NaN marks a missing cell.")
      .def(
          "transform",
          [](const impute::imputer& im, const py::array_t<double, py::array::forcecast>& x) {
            const masked d = split_nan(x, "impute::transform");
            Eigen::MatrixXd out;
            {
              py::gil_scoped_release nogil;
              out = im.transform(d.x, d.observed);
            }
            return to_numpy(std::move(out));
          },
          py::arg("x"), "x with every NaN filled; observed cells are returned unchanged.")
      .def_property_readonly(
          "evaluations", &impute::imputer::evaluations,
          "Epochs, steps, parameters, and the quantum layer's circuits and shots.")
      .def_property_readonly(
          "history",
          [](const impute::imputer& im) {
            const impute::training_curve c = im.history();
            py::dict d;
            d["train_loss"] = c.train_loss;
            d["validation_loss"] = c.validation_loss;
            return d;
          },
          "Training and validation loss of each epoch (neural imputers).");

  m.def("mean_imputer",
        [] { return std::shared_ptr<impute::imputer>(std::make_shared<impute::mean_imputer>()); });
  m.def(
      "knn_imputer",
      [](index_t k, bool standardize) {
        return std::shared_ptr<impute::imputer>(
            std::make_shared<impute::knn_imputer>(impute::knn_options{k, standardize}));
      },
      py::arg("k") = 5, py::arg("standardize") = true);
  m.def(
      "mice_imputer",
      [](index_t iterations, index_t imputations, std::string_view method, index_t donors,
         double ridge, std::uint64_t seed) {
        impute::mice_options o;
        o.iterations = iterations;
        o.imputations = imputations;
        o.method = enum_from<impute::mice_method>(method, "impute::mice_imputer");
        o.donors = donors;
        o.ridge = ridge;
        o.seed = seed;
        return std::shared_ptr<impute::imputer>(std::make_shared<impute::mice_imputer>(o));
      },
      py::arg("iterations") = 10, py::arg("imputations") = 5, py::arg("method") = "regression-mean",
      py::arg("donors") = 5, py::arg("ridge") = 1e-5, py::arg("seed") = 0);
  m.def(
      "neural_imputer",
      [](std::string_view kind, index_t width, index_t epochs, index_t batch_size,
         double learning_rate, double quantum_learning_rate, double weight_decay, double clip_norm,
         double corruption, index_t copies, double visible_weight, double validation_fraction,
         index_t patience, std::uint64_t seed, std::string_view readout, std::string_view init,
         std::uint64_t shots, std::string_view schedule, std::shared_ptr<backend> training_backend,
         std::shared_ptr<backend> inference_backend) {
        constexpr std::string_view where = "impute::neural_imputer";
        impute::neural_imputer_options o;
        if (kind == "qnn")
          o = impute::qnn_imputer_options(width);
        else if (kind == "mlp")
          o = impute::mlp_imputer_options(width);
        else
          throw data_error(where, "unknown kind (mlp or qnn)", std::string(kind));
        o.epochs = epochs;
        o.batch_size = batch_size;
        o.learning_rate = learning_rate;
        o.quantum_learning_rate = quantum_learning_rate;
        o.weight_decay = weight_decay;
        o.clip_norm = clip_norm;
        o.corruption = corruption;
        o.copies = copies;
        o.visible_weight = visible_weight;
        o.validation_fraction = validation_fraction;
        o.patience = patience;
        o.seed = seed;
        o.readout = enum_from<nn::quantum_readout>(readout, where);
        o.init = enum_from<nn::quantum_init>(init, where);
        o.shots = shots;
        o.schedule = enum_from<train::hybrid_schedule>(schedule, where);
        o.training_backend = std::move(training_backend);
        o.inference_backend = std::move(inference_backend);
        return std::shared_ptr<impute::imputer>(
            std::make_shared<impute::neural_imputer>(std::move(o)));
      },
      py::arg("kind"), py::arg("width") = 16, py::arg("epochs") = 60, py::arg("batch_size") = 64,
      py::arg("learning_rate") = 2e-3, py::arg("quantum_learning_rate") = 2e-2,
      py::arg("weight_decay") = 1e-5, py::arg("clip_norm") = 5.0, py::arg("corruption") = 0.3,
      py::arg("copies") = 8, py::arg("visible_weight") = 0.05, py::arg("validation_fraction") = 0.1,
      py::arg("patience") = 8, py::arg("seed") = 0, py::arg("readout") = "probabilities",
      py::arg("init") = "small", py::arg("shots") = 1000, py::arg("schedule") = "simulation",
      py::arg("training_backend") = py::none(), py::arg("inference_backend") = py::none(),
      "The denoising-autoencoder imputer: kind 'mlp' (dense central layer) or 'qnn' (quantum).");
}

}  // namespace papillon::python
