using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Task-vector arithmetic on model states (Ilharco et al. 2023, "Editing Models with Task Arithmetic", arXiv:2212.04089):
/// τ = θ_t − θ₀, θ = θ₀ + λ·τ, and linear interpolation between two states. States are dictionaries name → tensor (as
/// <see cref="ModelState.Snapshot"/> returns); non-floating entries (counters) are copied from the base. Results are new
/// tensors owned by the caller.
/// </summary>
public static class TaskVectors
{
    /// <summary>τ = <paramref name="tuned"/> − <paramref name="baseState"/>, entry by entry (floating entries only).</summary>
    public static Dictionary<string, Tensor> Of(IReadOnlyDictionary<string, Tensor> tuned, IReadOnlyDictionary<string, Tensor> baseState)
    {
        CheckAligned(baseState, tuned, nameof(baseState), nameof(tuned));
        using var _ = no_grad();
        return baseState.Where(kv => is_floating_point(kv.Value))
            .ToDictionary(kv => kv.Key, kv => (tuned[kv.Key].detach() - kv.Value.detach()).DetachFromDisposeScope());
    }

    /// <summary>θ₀ + λ·τ (entries τ lacks are copied from θ₀).</summary>
    public static Dictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> baseState, IReadOnlyDictionary<string, Tensor> vector, double lambda = 1.0)
    {
        ArgumentNullException.ThrowIfNull(baseState);
        ArgumentNullException.ThrowIfNull(vector);
        if (!double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be finite.");
        foreach (var (name, t) in vector)
        {
            if (!baseState.TryGetValue(name, out var b)) throw new ArgumentException($"vector has entry '{name}', which baseState lacks.", nameof(vector));
            Guard.SameShape(b, t, $"baseState['{name}']", $"vector['{name}']");
        }
        using var _ = no_grad();
        return baseState.ToDictionary(kv => kv.Key, kv =>
            (vector.TryGetValue(kv.Key, out var t) ? kv.Value.detach() + lambda * t.detach() : kv.Value.detach().clone()).DetachFromDisposeScope());
    }

    /// <summary>(1 − t)·a + t·b for floating entries (others from a).</summary>
    public static Dictionary<string, Tensor> Interpolate(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b, double t)
    {
        CheckAligned(a, b, nameof(a), nameof(b));
        if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(t), t, "t must be finite.");
        using var _ = no_grad();
        return a.ToDictionary(kv => kv.Key, kv => (is_floating_point(kv.Value)
            ? (1 - t) * kv.Value.detach() + t * b[kv.Key].detach() : kv.Value.detach().clone()).DetachFromDisposeScope());
    }

    internal static void CheckAligned(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b, string aName, string bName)
    {
        ArgumentNullException.ThrowIfNull(a, aName);
        ArgumentNullException.ThrowIfNull(b, bName);
        foreach (var (name, t) in a)
        {
            if (!b.TryGetValue(name, out var u)) throw new ArgumentException($"{bName} lacks entry '{name}' of {aName}.", bName);
            Guard.SameShape(t, u, $"{aName}['{name}']", $"{bName}['{name}']");
        }
        foreach (var name in b.Keys)
            if (!a.ContainsKey(name)) throw new ArgumentException($"{bName} has entry '{name}', which {aName} lacks.", bName);
    }
}
