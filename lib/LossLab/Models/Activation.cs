using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Models;

/// <summary>The nonlinearity between a model's layers.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>x·Φ(x) (Hendrycks and Gimpel 2016, arXiv:1606.08415).</summary>
    GELU,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>x·σ(x) (Elfwing et al. 2017, arXiv:1702.03118).</summary>
    SiLU,
}

/// <summary>The normalisation applied after each hidden linear layer.</summary>
public enum Normalization
{
    /// <summary>None.</summary>
    None,
    /// <summary>Batch normalisation (Ioffe and Szegedy 2015, arXiv:1502.03167).</summary>
    BatchNorm,
    /// <summary>Layer normalisation (Ba, Kiros and Hinton 2016, arXiv:1607.06450).</summary>
    LayerNorm,
}

static class Layers
{
    internal static nn.Module<Tensor, Tensor> Activation(Activation activation) => activation switch
    {
        Models.Activation.ReLU => nn.ReLU(),
        Models.Activation.GELU => nn.GELU(),
        Models.Activation.Tanh => nn.Tanh(),
        Models.Activation.SiLU => nn.SiLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
