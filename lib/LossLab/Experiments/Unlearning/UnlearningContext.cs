using LossLab.Data;
using LossLab.Models;
using LossLab.Unlearning;
using static TorchSharp.torch;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// What an arm of an <see cref="UnlearningBench"/> works with for one seed: the model to unlearn (a fresh copy of the
/// original model, on the bench's device), the seed's data, the bench's unlearning options with the seed's batch order,
/// the original and Retrain records, and the final states of the arms already run for this seed (merges read them).
/// </summary>
public sealed class UnlearningContext
{
    readonly Func<Mlp> newOriginal;
    readonly IReadOnlyDictionary<string, Dictionary<string, Tensor>> earlier;
    readonly IReadOnlyList<string> declared;
    readonly RunCheckpoints checkpoints;
    readonly List<IDisposable> owned = [];

    internal UnlearningContext(string method, UnlearningSplit split, Mlp model, IReadOnlyDictionary<string, Tensor> originalState,
        UnlearningOptions options, UnlearningRecord original, UnlearningRecord retrain, Func<Mlp> newOriginal,
        IReadOnlyDictionary<string, Dictionary<string, Tensor>> earlier, IReadOnlyList<string> declared, RunCheckpoints checkpoints)
    {
        Method = method; Split = split; Model = model; OriginalState = originalState; Options = options;
        Original = original; Retrain = retrain;
        this.newOriginal = newOriginal; this.earlier = earlier; this.declared = declared; this.checkpoints = checkpoints;
    }

    /// <summary>The arm's name.</summary>
    public string Method { get; }

    /// <summary>The seed.</summary>
    public int Seed => Split.Seed;

    /// <summary>The seed's data.</summary>
    public UnlearningSplit Split { get; }

    /// <summary>D_f.</summary>
    public LabeledTensors Forget => Split.Forget;

    /// <summary>D_r.</summary>
    public LabeledTensors Retain => Split.Retain;

    /// <summary>The model to unlearn in place: a copy of the original model θ₀.</summary>
    public Mlp Model { get; }

    /// <summary>The number of classes (the model's outputs).</summary>
    public int NumClasses => Model.Widths[^1];

    /// <summary>θ₀, the original model's state (read only).</summary>
    public IReadOnlyDictionary<string, Tensor> OriginalState { get; }

    /// <summary>The bench's unlearning options with <see cref="UnlearningOptions.Seed"/> = the seed.</summary>
    public UnlearningOptions Options { get; }

    /// <summary>The original model's record for this seed.</summary>
    public UnlearningRecord Original { get; }

    /// <summary>Retrain's record for this seed.</summary>
    public UnlearningRecord Retrain { get; }

    /// <summary>The final state of <paramref name="method"/>, an arm declared before this one, for this seed (read only).</summary>
    /// <exception cref="ArgumentException">No such arm, or it is declared after this one.</exception>
    public IReadOnlyDictionary<string, Tensor> StateOf(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (earlier.TryGetValue(method, out var state)) return state;
        if (method == UnlearningBench.Original) return OriginalState;
        throw new ArgumentException(declared.Contains(method)
            ? $"'{Method}' reads the state of '{method}', which runs after it: declare '{method}' first."
            : $"Unknown method '{method}': the arms run before '{Method}' are [{string.Join(", ", earlier.Keys)}] (and {UnlearningBench.Original}).", nameof(method));
    }

    /// <summary>Loads <paramref name="state"/> into <see cref="Model"/> (an arm that edits weights: a merge, an interpolation).</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> state) => ModelState.Load(Model, state);

    /// <summary>Accuracy (%) of <see cref="Model"/> on <paramref name="data"/>.</summary>
    public double Accuracy(LabeledTensors data) => ModelOutputs.AccuracyPercent(Model, data);

    /// <summary>A new copy of the original model on the bench's device, in eval mode (SCRUB's frozen teacher); freed after the arm.</summary>
    public Mlp CopyOfOriginal() => Own(newOriginal());

    /// <summary>Frees <paramref name="resource"/> when the arm has run (a mask, a teacher).</summary>
    public T Own<T>(T resource) where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(resource);
        owned.Add(resource);
        return resource;
    }

    /// <summary>The step callback for <see cref="Unlearner.Run"/> that saves checkpoints and records the trajectory, for
    /// a run that starts after <paramref name="stepsBefore"/> steps of this arm.</summary>
    public Action<int, nn.Module<Tensor, Tensor>> OnStep(int stepsBefore = 0) => checkpoints.Observer(stepsBefore);

    internal void DisposeOwned()
    {
        foreach (var r in owned) r.Dispose();
        owned.Clear();
    }
}
