using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// Scalars that live as long as the process, for the constants LossLab passes to libtorch in hot paths
/// (<c>masked_fill</c>). A scalar made implicitly from a <c>double</c> is a temporary with a finalizer that TorchSharp
/// does not keep alive across the native call, so a garbage collection triggered by another thread can free it while
/// libtorch reads it (environment.md, "Same seed, same numbers"). These never become garbage.
/// </summary>
public static class TorchScalars
{
    /// <summary>−∞, e.g. for masking logits before a softmax or a max.</summary>
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>+∞, e.g. for masking before a min.</summary>
    public static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();

    /// <summary>0.</summary>
    public static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>1, e.g. the α of <c>x.add_(c, One)</c>: TorchSharp's one-argument <c>add_(Scalar)</c> and <c>add(Tensor)</c>
    /// pass an α = 1 they make as a temporary of their own.</summary>
    public static readonly Scalar One = 1.0.ToScalar();
}
