using LossLab.Training;
using TorchSharp;

namespace LossLab.Experiments.Optimization;

/// <summary>One run of an optimization bench as it is about to train: the arm, the seed, the freshly initialised model and
/// the trainer that will train it. A bench hands it to its <c>Instrument</c> action, which may read the initial weights or
/// add measurements to the trainer (<see cref="Trainer.AddAfterStep"/>, <see cref="Trainer.AddAfterBackward"/>) before the
/// first step.</summary>
/// <param name="Method">The arm's name, as the comparison lists it.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Model">The model, initialised and on the bench's device.</param>
/// <param name="Trainer">The trainer of the run.</param>
public sealed record BenchRunContext(string Method, int Seed, torch.nn.Module Model, Trainer Trainer);
