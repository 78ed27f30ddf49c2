using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Linear centered kernel alignment between two representations of the same n inputs (Kornblith et al. 2019,
/// "Similarity of Neural Network Representations Revisited", arXiv:1905.00414):
/// CKA(X, Y) = ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F) with X (n, p) and Y (n, q) column-centred. It is 1 for X with itself and
/// invariant to orthogonal transforms and isotropic scaling of either side. Used by "Are We Truly Forgetting?" to ask
/// how much of the original model's features an unlearned model keeps.
/// </summary>
public static class LinearCka
{
    /// <summary>CKA between two models' representations of the same <paramref name="data"/>, e.g. the penultimate
    /// features of an unlearned model and of the original.</summary>
    public static double BetweenModels(Func<Tensor, Tensor> featuresA, nn.Module modelA, Func<Tensor, Tensor> featuresB, nn.Module modelB,
        LossLab.Data.LabeledTensors data)
    {
        using var scope = NewDisposeScope();
        return Compute(ModelOutputs.Apply(featuresA, modelA, data), ModelOutputs.Apply(featuresB, modelB, data));
    }

    /// <summary>CKA(X, Y), computed in float64. Constant features on either side give an error.</summary>
    public static double Compute(Tensor x, Tensor y)
    {
        Guard.Rank(x, 2, nameof(x));
        Guard.Rank(y, 2, nameof(y));
        Guard.Floating(x, nameof(x));
        Guard.Floating(y, nameof(y));
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"x and y must describe the same inputs: x is {Guard.Shape(x)}, y is {Guard.Shape(y)}.", nameof(y));
        if (x.shape[0] < 2) throw new ArgumentException($"x must have at least 2 rows; got {Guard.Shape(x)}.", nameof(x));
        using var scope = NewDisposeScope();
        var xc = x.detach().to_type(ScalarType.Float64).cpu();
        var yc = y.detach().to_type(ScalarType.Float64).cpu();
        xc = xc - xc.mean([0], keepdim: true);
        yc = yc - yc.mean([0], keepdim: true);
        double cross = yc.t().matmul(xc).square().sum().item<double>();
        double xx = xc.t().matmul(xc).square().sum().sqrt().item<double>();
        double yy = yc.t().matmul(yc).square().sum().sqrt().item<double>();
        if (xx == 0) throw new ArgumentException("x is constant across rows (zero centred features).", nameof(x));
        if (yy == 0) throw new ArgumentException("y is constant across rows (zero centred features).", nameof(y));
        return cross / (xx * yy);
    }
}
