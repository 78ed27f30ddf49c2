using LossLab.Data;
using LossLab.Unlearning;
using static TorchSharp.torch;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// The checkpoints of one unlearning run: every <c>every</c> steps the state is saved when it is finite (with a
/// trajectory: when the outputs on D_f, D_r and D_test are finite, and then FA and RA join the trajectory; without: when
/// the parameters are finite), the last two kept, so that a diverged run is scored at its last finite checkpoint.
/// </summary>
internal sealed class RunCheckpoints : IDisposable
{
    readonly int every;
    readonly bool trajectory;
    readonly UnlearningSplit split;
    readonly List<TrajectoryPoint> points = [];
    readonly List<(Dictionary<string, Tensor> State, int Step)> saved = [];

    public RunCheckpoints(int every, bool trajectory, UnlearningSplit split, UnlearningRecord original)
    {
        this.every = every;
        this.trajectory = trajectory;
        this.split = split;
        if (trajectory) points.Add(new TrajectoryPoint(0, original.ForgetAccuracy, original.RetainAccuracy));
    }

    public IReadOnlyList<TrajectoryPoint> Trajectory => points;

    /// <summary>The callback of <see cref="Unlearner.Run"/> for a run that starts after <paramref name="offset"/> steps.</summary>
    public Action<int, nn.Module<Tensor, Tensor>> Observer(int offset) => (step, model) => Observe(offset + step + 1, model);

    void Observe(int stepsDone, nn.Module<Tensor, Tensor> model)
    {
        if (every == 0 || stepsDone % every != 0) return;
        if (trajectory)
        {
            if (FiniteAccuracy(model, split.Forget) is not double fa || FiniteAccuracy(model, split.Retain) is not double ra
                || FiniteAccuracy(model, split.Test) is null) return;
            points.Add(new TrajectoryPoint(stepsDone, fa, ra));
        }
        else if (!FiniteParameters(model)) return;
        saved.Add((ModelState.Snapshot(model), stepsDone));
        if (saved.Count > 2) { ModelState.Dispose(saved[0].State); saved.RemoveAt(0); }
    }

    /// <summary>Loads the newest checkpoint whose outputs on D_f, D_r and D_test are finite into <paramref name="model"/>,
    /// else <paramref name="original"/>; returns its step (0 for the original).</summary>
    public int RestoreLastFinite(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, Tensor> original)
    {
        for (int i = saved.Count - 1; i >= 0; i--)
        {
            ModelState.Load(model, saved[i].State);
            if (FiniteAccuracy(model, split.Forget) is not null && FiniteAccuracy(model, split.Retain) is not null
                && FiniteAccuracy(model, split.Test) is not null) return saved[i].Step;
        }
        ModelState.Load(model, original);
        return 0;
    }

    /// <summary>Accuracy (%) of <paramref name="model"/> on <paramref name="data"/>, or null when its outputs there are not finite.</summary>
    internal static double? FiniteAccuracy(nn.Module<Tensor, Tensor> model, LabeledTensors data)
    {
        using var scope = NewDisposeScope();
        var logits = ModelOutputs.Logits(model, data);
        if (!logits.isfinite().all().item<bool>()) return null;
        return 100.0 * logits.argmax(1).eq(data.Labels.to(logits.device)).to_type(ScalarType.Float64).mean().item<double>();
    }

    static bool FiniteParameters(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return model.parameters().All(p => p.isfinite().all().item<bool>());
    }

    public void Dispose()
    {
        foreach (var (state, _) in saved) ModelState.Dispose(state);
        saved.Clear();
    }
}
