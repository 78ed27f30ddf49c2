using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>The neural-collapse measurements of one model state; see <see cref="NeuralCollapse"/>. Classifier entries
/// are null when no classifier was given.</summary>
/// <param name="Nc1">Tr(Σ_W Σ_B^†)/C: within-class variability relative to between-class.</param>
/// <param name="MeanEquinorm">std_c ‖μ_c − μ_G‖ / mean_c ‖μ_c − μ_G‖.</param>
/// <param name="MeanEquiangularity">avg_{c≠c'} |cos(μ_c − μ_G, μ_c' − μ_G) + 1/(C − 1)|.</param>
/// <param name="MeanEtfDistance">‖G/‖G‖_F − P/‖P‖_F‖_F, G the Gram of centred means, P = I − 11ᵀ/C.</param>
/// <param name="ClassifierEquinorm">std_c ‖w_c‖ / mean_c ‖w_c‖.</param>
/// <param name="ClassifierEquiangularity">avg_{c≠c'} |cos(w_c, w_c') + 1/(C − 1)|.</param>
/// <param name="ClassifierEtfDistance">‖WWᵀ/‖WWᵀ‖_F − P/‖P‖_F‖_F.</param>
/// <param name="Nc3">Self-duality ‖W/‖W‖_F − M̃ᵀ/‖M̃‖_F‖²_F, M̃ the (D, C) centred means.</param>
/// <param name="Nc4">Fraction of samples whose classifier prediction differs from the nearest class mean.</param>
/// <param name="FisherRatio">Tr(Σ_B)/Tr(Σ_W) (+∞ when Σ_W = 0).</param>
public sealed record NeuralCollapseMetrics(
    double Nc1, double MeanEquinorm, double MeanEquiangularity, double MeanEtfDistance,
    double? ClassifierEquinorm, double? ClassifierEquiangularity, double? ClassifierEtfDistance, double? Nc3, double? Nc4,
    double FisherRatio);

/// <summary>
/// Neural collapse (Papyan, Han, Donoho, PNAS 2020, arXiv:2008.08186), measured on last-layer features h (N, D) with
/// labels and, optionally, the linear classifier W (C, D), b (C). With class means μ_c, the global mean
/// μ_G = (1/C)·Σ_c μ_c, Σ_W = (1/N)·Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ and Σ_B = (1/C)·Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ:
/// NC1 = Tr(Σ_W Σ_B^†)/C; NC2 = equinorm and equiangularity of the centred means and of the classifier rows, and their
/// distance to a simplex ETF (Zhu et al., NeurIPS 2021, arXiv:2105.02375); NC3 = self-duality of W and the centred means;
/// NC4 = disagreement between the classifier and the nearest class centre. An exact simplex ETF with zero within-class
/// spread and W ∝ M̃ᵀ gives all zeros.
/// </summary>
/// <remarks>μ_G is the mean of the class means, not of the samples, so that under imbalance NC2 measures the geometry of
/// the class means alone; with balanced classes the two agree. Standard deviations divide by C. All arithmetic is float64.</remarks>
public static class NeuralCollapse
{
    /// <summary>Measures NC1–NC4 and the Fisher ratio. Every class must have at least one sample.</summary>
    /// <param name="features">h, (N, D).</param>
    /// <param name="labels">y, (N), in [0, C).</param>
    /// <param name="numClasses">C ≥ 2.</param>
    /// <param name="classifierWeight">W, (C, D), or null.</param>
    /// <param name="classifierBias">b, (C), or null (taken as 0 when W is given).</param>
    public static NeuralCollapseMetrics Measure(Tensor features, Tensor labels, int numClasses, Tensor? classifierWeight = null, Tensor? classifierBias = null)
    {
        using var scope = torch.NewDisposeScope();
        var (h, y, means) = Prepare(features, labels, numClasses);
        long d = h.shape[1];
        int c = numClasses;
        var global = means.mean(new long[] { 0 });
        var centred = means - global;                                        // (C, D) rows μ_c − μ_G
        var within = h - means.index_select(0, y);
        var sigmaW = within.t().matmul(within) / h.shape[0];
        var sigmaB = centred.t().matmul(centred) / c;
        double nc1 = torch.trace(sigmaW.matmul(torch.linalg.pinv(sigmaB, hermitian: true))).ToDouble() / c;
        double trW = torch.trace(sigmaW).ToDouble(), trB = torch.trace(sigmaB).ToDouble();
        double fisher = trW > 0 ? trB / trW : double.PositiveInfinity;
        var (meanNorm, meanAngle) = EquinormAndEquiangularity(centred);
        double meanEtf = EtfDistance(centred);

        double? wNorm = null, wAngle = null, wEtf = null, nc3 = null, nc4 = null;
        if (classifierWeight is not null)
        {
            Guard.Rank(classifierWeight, 2, nameof(classifierWeight));
            Guard.Floating(classifierWeight, nameof(classifierWeight));
            if (classifierWeight.shape[0] != c || classifierWeight.shape[1] != d)
                throw new ArgumentException($"classifierWeight must be ({c}, {d}); got {Guard.Shape(classifierWeight)}.", nameof(classifierWeight));
            var w = classifierWeight.detach().to(ScalarType.Float64).cpu();
            Tensor b;
            if (classifierBias is null) b = torch.zeros(c, ScalarType.Float64);
            else
            {
                Guard.Rank(classifierBias, 1, nameof(classifierBias));
                Guard.Floating(classifierBias, nameof(classifierBias));
                if (classifierBias.shape[0] != c)
                    throw new ArgumentException($"classifierBias must be ({c}); got {Guard.Shape(classifierBias)}.", nameof(classifierBias));
                b = classifierBias.detach().to(ScalarType.Float64).cpu();
            }
            (wNorm, wAngle) = EquinormAndEquiangularity(w);
            wEtf = EtfDistance(w);
            var wn = w / w.norm();
            var mn = centred / centred.norm();
            nc3 = (wn - mn).square().sum().ToDouble();
            var predicted = (h.matmul(w.t()) + b).argmax(1);
            var nearest = torch.cdist(h, means).argmin(1);
            nc4 = (predicted != nearest).to(ScalarType.Float64).mean().ToDouble();
        }
        return new NeuralCollapseMetrics(nc1, meanNorm, meanAngle, meanEtf, wNorm, wAngle, wEtf, nc3, nc4, fisher);
    }

    /// <summary>Class means μ_c as a (C, D) float64 tensor. Every class must have a sample.</summary>
    public static Tensor ClassMeans(Tensor features, Tensor labels, int numClasses)
    {
        using var scope = torch.NewDisposeScope();
        var (_, _, means) = Prepare(features, labels, numClasses);
        return means.MoveToOuterDisposeScope();
    }

    /// <summary>Cosines between class means, (C, C): centred on μ_G (NC2's geometry) or raw (the uncentred means, as for
    /// ReLU features).</summary>
    public static Tensor ClassMeanCosines(Tensor features, Tensor labels, int numClasses, bool centred = true)
    {
        using var scope = torch.NewDisposeScope();
        var (_, _, means) = Prepare(features, labels, numClasses);
        var m = centred ? means - means.mean(new long[] { 0 }) : means;
        var unit = m / m.norm(1, keepdim: true).clamp_min(1e-300);
        return unit.matmul(unit.t()).MoveToOuterDisposeScope();
    }

    static (Tensor H, Tensor Y, Tensor Means) Prepare(Tensor features, Tensor labels, int numClasses)
    {
        Guard.EmbeddingsAndLabels(features, labels, nameof(features), nameof(labels));
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        Guard.LabelRange(labels, numClasses, nameof(labels));
        var h = features.detach().to(ScalarType.Float64).cpu();
        var y = labels.detach().to(ScalarType.Int64).cpu();
        var counts = y.bincount(null, numClasses);
        var countArray = counts.data<long>().ToArray();
        int missing = Array.IndexOf(countArray, 0L);
        if (missing >= 0)
            throw new ArgumentException($"labels must hold every class in [0, {numClasses}); class {missing} has no sample.", nameof(labels));
        var sums = torch.zeros(numClasses, h.shape[1], ScalarType.Float64).index_add(0, y, h, 1.0);
        return (h, y, sums / counts.to(ScalarType.Float64).unsqueeze(1));
    }

    /// <summary>(std/mean of row norms, avg_{c≠c'} |cos + 1/(C−1)|) of the rows of v (C, D).</summary>
    static (double Equinorm, double Equiangularity) EquinormAndEquiangularity(Tensor v)
    {
        long c = v.shape[0];
        var norms = v.norm(1);
        double mean = norms.mean().ToDouble();
        double std = Math.Sqrt((norms - mean).square().mean().ToDouble());
        var unit = v / norms.unsqueeze(1).clamp_min(1e-300);
        var cos = unit.matmul(unit.t());
        var offDiagonal = 1 - torch.eye(c, dtype: ScalarType.Float64);
        double angle = ((cos + 1.0 / (c - 1)).abs() * offDiagonal).sum().ToDouble() / (c * (c - 1));
        return (mean > 0 ? std / mean : 0, angle);
    }

    /// <summary>‖VVᵀ/‖VVᵀ‖_F − P/‖P‖_F‖_F with P = I − 11ᵀ/C, for rows v_c.</summary>
    static double EtfDistance(Tensor v)
    {
        long c = v.shape[0];
        var gram = v.matmul(v.t());
        var p = torch.eye(c, dtype: ScalarType.Float64) - 1.0 / c;
        double g = gram.norm().ToDouble();
        if (g == 0) return double.NaN;
        return (gram / g - p / p.norm()).norm().ToDouble();
    }
}
