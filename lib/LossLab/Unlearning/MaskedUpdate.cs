using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Restricts updates to the entries a <see cref="ParameterMask"/> marks 1: after backward the gradient is multiplied by
/// the mask, and after the optimizer step masked-out entries are reset to their original values θ₀ (so weight decay and
/// momentum cannot move them), as SalUn's latest code does. With a layer mask this is "updates restricted to chosen
/// layers"; with a saliency mask and random labels it is SalUn. Parameters the mask does not name are left free.
/// </summary>
public sealed class MaskedUpdate : IUnlearningHook
{
    readonly Dictionary<string, Tensor> kept = [];   // (1 − m)·θ₀, per parameter

    /// <param name="mask">The mask (not owned: dispose it yourself).</param>
    public MaskedUpdate(ParameterMask mask) => Mask = mask ?? throw new ArgumentNullException(nameof(mask));

    /// <summary>The mask.</summary>
    public ParameterMask Mask { get; }

    /// <inheritdoc/>
    public void Begin(nn.Module<Tensor, Tensor> model)
    {
        DisposeKept();
        var named = model.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        foreach (var (name, m) in Mask.Masks)
        {
            if (!named.TryGetValue(name, out var p))
                throw new ArgumentException($"The mask names parameter '{name}', which the model does not have ([{string.Join(", ", named.Keys)}]).", nameof(model));
            if (!p.shape.SequenceEqual(m.shape))
                throw new ArgumentException($"The mask of '{name}' has shape {Guard.Shape(m)} but the parameter has {Guard.Shape(p)}.", nameof(model));
            using var _ = no_grad();
            kept[name] = ((1.0 - m) * p.detach()).DetachFromDisposeScope();
        }
    }

    /// <inheritdoc/>
    public void AfterBackward(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        foreach (var (name, p) in model.named_parameters())
            if (Mask.Masks.TryGetValue(name, out var m)) p.grad?.mul_(m);
    }

    /// <inheritdoc/>
    public void AfterStep(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
            if (Mask.Masks.TryGetValue(name, out var m) && kept.TryGetValue(name, out var k))
                p.mul_(m).add_(k);
    }

    void DisposeKept()
    {
        foreach (var k in kept.Values) k.Dispose();
        kept.Clear();
    }

    /// <summary>Frees the stored original values (not the mask).</summary>
    public void Dispose() => DisposeKept();
}
