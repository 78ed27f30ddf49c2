using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Sigmoid loss for paired embeddings (Zhai et al., SigLIP, ICCV 2023, arXiv:2303.15343):
/// L = −(1/N)·Σ_i Σ_j log σ(z_ij·(t·x̂_iᵀŷ_j + b)), z_ii = +1, z_ij = −1 (i ≠ j), x̂, ŷ L2-normalised, t = exp(t′) with t′
/// and b learnable. Paper initialisation: t′ = log 10, b = −10. No softmax over the batch: every pair is a binary task.</summary>
public sealed class SigLipLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter logTemperature;
    readonly Parameter bias;

    /// <param name="logTemperatureInit">t′ at initialisation (log 10).</param>
    /// <param name="biasInit">b at initialisation (−10).</param>
    /// <param name="dtype">Parameter dtype (float32).</param>
    public SigLipLoss(double logTemperatureInit = 2.302585092994046, double biasInit = -10, ScalarType dtype = ScalarType.Float32)
        : base(nameof(SigLipLoss))
    {
        if (!double.IsFinite(logTemperatureInit))
            throw new ArgumentOutOfRangeException(nameof(logTemperatureInit), logTemperatureInit, "logTemperatureInit must be finite.");
        if (!double.IsFinite(biasInit))
            throw new ArgumentOutOfRangeException(nameof(biasInit), biasInit, "biasInit must be finite.");
        logTemperature = new Parameter(torch.tensor(logTemperatureInit, dtype: dtype));
        bias = new Parameter(torch.tensor(biasInit, dtype: dtype));
        RegisterComponents();
    }

    /// <summary>t′, the learnable log-temperature.</summary>
    public Parameter LogTemperature => logTemperature;
    /// <summary>b, the learnable bias.</summary>
    public Parameter Bias => bias;

    /// <summary>The loss of (N, D) <paramref name="x"/> against its paired (N, D) <paramref name="y"/>.</summary>
    public override Tensor forward(Tensor x, Tensor y) => PairLossFunctions.SigLip(x, y, logTemperature, bias);
}

public static partial class PairLossFunctions
{
    /// <summary>SigLIP's pairwise sigmoid loss (see <see cref="SigLipLoss"/>) with log-temperature t′ and bias b as tensors.</summary>
    public static Tensor SigLip(Tensor x, Tensor y, Tensor logTemperature, Tensor bias)
    {
        Guard.Rank(x, 2, nameof(x));
        Guard.Floating(x, nameof(x));
        Guard.SameShape(x, y, nameof(x), nameof(y));
        Guard.Floating(y, nameof(y));
        var logits = logTemperature.exp().to_type(x.dtype) * new Distances.CosineSimilarity().Pairwise(x, y) + bias.to_type(x.dtype);
        var z = 2 * torch.eye(x.shape[0], dtype: x.dtype, device: x.device) - 1;
        return -nn.functional.logsigmoid(z * logits).sum() / x.shape[0];
    }
}
