using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// A 0/1 mask over a model's parameters, by parameter name (as in <c>named_parameters()</c>): 1 = may change, 0 = kept at
/// its original value. Built from saliency scores (<see cref="TopFraction"/>, SalUn) or from layer names
/// (<see cref="Layers"/>); applied by <see cref="MaskedUpdate"/>. Owns its tensors.
/// </summary>
public sealed class ParameterMask : IDisposable
{
    readonly Dictionary<string, Tensor> masks;

    /// <summary>Wraps masks by parameter name, taking ownership (the tensors are detached from dispose scopes).</summary>
    public ParameterMask(IReadOnlyDictionary<string, Tensor> masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        this.masks = masks.ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope());
    }

    /// <summary>The mask of each parameter (same shape as the parameter).</summary>
    public IReadOnlyDictionary<string, Tensor> Masks => masks;

    /// <summary>Entries equal to 1, over all parameters.</summary>
    public long Selected => masks.Values.Sum(m => m.count_nonzero().item<long>());

    /// <summary>Entries in all, over all parameters.</summary>
    public long Total => masks.Values.Sum(m => m.numel());

    /// <summary>
    /// SalUn's mask (Fan et al. 2024, arXiv:2310.12508, Eq. 6): rank all entries of all score tensors together by value
    /// and mark the top ⌊fraction·N⌋ as 1 (ties broken by position), the rest 0.
    /// </summary>
    /// <param name="scores">Scores by parameter name, e.g. |∇θ ℓ_f(θ₀)|.</param>
    /// <param name="fraction">The fraction kept, in [0, 1] (SalUn's CIFAR-10 default 0.5).</param>
    public static ParameterMask TopFraction(IReadOnlyDictionary<string, Tensor> scores, double fraction)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Guard.InRange(fraction, 0, 1, nameof(fraction));
        if (scores.Count == 0) throw new ArgumentException("scores must hold at least one tensor.", nameof(scores));
        using var scope = NewDisposeScope();
        var names = scores.Keys.ToArray();
        var flat = cat(names.Select(n => scores[n].detach().flatten().to_type(ScalarType.Float64).cpu()).ToArray());
        long n = flat.numel(), k = (long)Math.Floor(fraction * n + 1e-9);
        var selected = zeros(n, dtype: ScalarType.Float64);
        if (k > 0)
        {
            var order = flat.sort(0, descending: true, stable: true).Indices;
            selected.index_fill_(0, order.narrow(0, 0, k), 1.0);
        }
        var result = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var name in names)
        {
            var s = scores[name];
            long m = s.numel();
            result[name] = selected.narrow(0, offset, m).reshape(s.shape).to(s.dtype, s.device).MoveToOuterDisposeScope();
            offset += m;
        }
        return new ParameterMask(result);
    }

    /// <summary>A mask that frees every parameter whose name starts with one of <paramref name="prefixes"/> (e.g. "0."
    /// for the first layer of a Sequential) and freezes the others: updates restricted to chosen layers.</summary>
    public static ParameterMask Layers(nn.Module<Tensor, Tensor> model, params string[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (prefixes.Length == 0) throw new ArgumentException("prefixes must name at least one layer.", nameof(prefixes));
        var named = model.named_parameters().ToArray();
        var unmatched = prefixes.Where(pre => !named.Any(np => np.name.StartsWith(pre, StringComparison.Ordinal))).ToArray();
        if (unmatched.Length > 0)
            throw new ArgumentException($"No parameter name starts with [{string.Join(", ", unmatched)}]; the model's parameters are [{string.Join(", ", named.Select(np => np.name))}].", nameof(prefixes));
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, p) in named)
        {
            bool free = prefixes.Any(pre => name.StartsWith(pre, StringComparison.Ordinal));
            result[name] = (free ? ones_like(p) : zeros_like(p)).detach();
        }
        return new ParameterMask(result);
    }

    /// <summary>Frees the mask tensors.</summary>
    public void Dispose()
    {
        foreach (var m in masks.Values) m.Dispose();
        masks.Clear();
    }
}
