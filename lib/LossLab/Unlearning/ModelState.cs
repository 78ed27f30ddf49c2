using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>Snapshots of a model's state (parameters and buffers, by name) as detached copies, and loading them back.</summary>
public static class ModelState
{
    /// <summary>Detached copies of every entry of <c>state_dict()</c> (owned by the caller; free with <see cref="Dispose"/>).</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>Copies <paramref name="state"/> into the model's tensors in place (names and shapes must match).</summary>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        using var _ = no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            if (!state.TryGetValue(name, out var source))
                throw new ArgumentException($"state has no entry '{name}'.", nameof(state));
            if (!source.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"state['{name}'] has shape {Guard.Shape(source)}; the model's has {Guard.Shape(target)}.", nameof(state));
            target.copy_(source);
        }
    }

    /// <summary>A new model from <paramref name="factory"/> holding a copy of <paramref name="model"/>'s state, e.g. the
    /// frozen teacher of <see cref="Scrub"/> or the original model kept for comparisons.</summary>
    public static TModule Copy<TModule>(TModule model, Func<TModule> factory) where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factory);
        var copy = factory();
        var state = Snapshot(model);
        try { Load(copy, state); }
        finally { Dispose(state); }
        if (model.training) copy.train(); else copy.eval();
        return copy;
    }

    /// <summary>Frees the tensors of a snapshot.</summary>
    public static void Dispose(IDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var t in state.Values) t.Dispose();
        state.Clear();
    }
}
