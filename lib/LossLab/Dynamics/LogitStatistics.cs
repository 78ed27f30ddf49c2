using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Statistics of output logits that signal output-logit divergence (Wortsman et al., 2023, "Small-scale proxies
/// for large-scale Transformer training instabilities", arXiv:2309.14322): log Z = log Σⱼ exp(zⱼ) per row, which the
/// z-loss 10⁻⁴·(log Z)² keeps near 0.</summary>
public static class LogitStatistics
{
    /// <summary>Mean of log Z over the rows of (N, C) logits (rows of higher-rank inputs: all leading dimensions).</summary>
    public static double MeanLogZ(Tensor logits) => Reduce(logits, z => z.mean());

    /// <summary>Largest |log Z| over the rows.</summary>
    public static double MaxAbsLogZ(Tensor logits) => Reduce(logits, z => z.abs().max());

    /// <summary>Largest |zⱼ| over all logits.</summary>
    public static double MaxAbsLogit(Tensor logits)
    {
        Check(logits);
        using var _ = torch.no_grad();
        using var m = logits.detach().abs().max();
        return m.ToDouble();
    }

    static double Reduce(Tensor logits, Func<Tensor, Tensor> reduce)
    {
        Check(logits);
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var logZ = logits.detach().to_type(ScalarType.Float64).logsumexp(-1);
        return reduce(logZ).ToDouble();
    }

    static void Check(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() < 2) throw new ArgumentException($"logits must have at least 2 dimensions (…, C); got shape {Guard.Shape(logits)}.", nameof(logits));
        Guard.Floating(logits, nameof(logits));
        if (logits.numel() == 0) throw new ArgumentException($"logits must not be empty; got shape {Guard.Shape(logits)}.", nameof(logits));
    }
}
