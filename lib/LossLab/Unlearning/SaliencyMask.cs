using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// SalUn's weight saliency (Fan et al. 2024, "SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency",
/// arXiv:2310.12508): s = |∇θ ℓ_f(θ₀)|, the magnitude of the gradient of the forget loss at the original weights,
/// accumulated over the whole forget set (sum of the mean-batch losses' gradients, as the authors' generate_mask.py),
/// and the mask keeps the top fraction of entries.
/// </summary>
public static class SaliencyMask
{
    /// <summary>The saliency scores |Σ_batches ∇θ CE(batch)| by parameter name (the model is left unchanged, gradients zeroed).</summary>
    public static Dictionary<string, Tensor> Scores(nn.Module<Tensor, Tensor> model, LabeledTensors forget, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forget);
        if (forget.Count == 0) throw new ArgumentException("forget must hold at least one sample.", nameof(forget));
        var named = model.named_parameters().Where(np => np.parameter.requires_grad).ToArray();
        var sums = named.ToDictionary(np => np.name, np => zeros_like(np.parameter).DetachFromDisposeScope());
        bool training = model.training;
        model.eval();
        foreach (var (x, y) in forget.Batches(batchSize, shuffle: false))
        {
            using var scope = NewDisposeScope();
            foreach (var (_, p) in named) p.grad?.zero_();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            foreach (var (name, p) in named)
                if (p.grad is { } g) sums[name].add_(g);
        }
        foreach (var (_, p) in named) p.grad?.zero_();
        if (training) model.train();
        foreach (var s in sums.Values) s.abs_();
        return sums;
    }

    /// <summary>The SalUn mask: the top <paramref name="fraction"/> of saliency scores over all parameters.</summary>
    public static ParameterMask Compute(nn.Module<Tensor, Tensor> model, LabeledTensors forget, double fraction = 0.5, int batchSize = 256)
    {
        Guard.InRange(fraction, 0, 1, nameof(fraction));
        var scores = Scores(model, forget, batchSize);
        try { return ParameterMask.TopFraction(scores, fraction); }
        finally { foreach (var s in scores.Values) s.Dispose(); }
    }
}
