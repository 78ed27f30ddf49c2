using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// A named unlearning method as data: its objective, its hooks and its budget. Methods are values that a table loops
/// over; <see cref="Run"/> hands them to the one loop, <see cref="Unlearner.Run"/>.
/// </summary>
/// <param name="Name">The row name.</param>
/// <param name="Objective">The objective.</param>
/// <param name="Options">The budget and optimizer settings.</param>
/// <param name="Hooks">Hooks (mask, layer restriction); null for none.</param>
public sealed record UnlearningMethod(string Name, IUnlearningObjective Objective, UnlearningOptions Options,
    IReadOnlyList<IUnlearningHook>? Hooks = null)
{
    /// <summary>Runs the method on <paramref name="model"/> in place.</summary>
    public UnlearningRun Run(nn.Module<Tensor, Tensor> model, LabeledTensors forget, LabeledTensors retain,
        Action<int, nn.Module<Tensor, Tensor>>? onStep = null) =>
        Unlearner.Run(model, Objective, forget, retain, Options, Hooks, onStep) with { Method = Name };
}
