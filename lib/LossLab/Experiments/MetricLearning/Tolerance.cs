using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// Tolerance to semantically similar samples (Wang and Liu, CVPR 2021, arXiv:2012.09740): the mean cosine similarity of
/// distinct samples of the same class, T = (1/|P|)·Σ_{(i,j)∈P} x̂_iᵀx̂_j over ordered pairs i ≠ j with y_i = y_j. High
/// tolerance means same-class samples stay close; a small temperature pushes every sample away from every other one and
/// lowers it. Computed in float64 without gradient.
/// </summary>
public static class Tolerance
{
    /// <summary>T of <paramref name="embeddings"/> (N, D) with class <paramref name="labels"/> (N); NaN when no class has
    /// two samples.</summary>
    /// <exception cref="ArgumentException">Embeddings not floating 2-D, labels not integer 1-D, or counts that differ.</exception>
    public static double Measure(Tensor embeddings, Tensor labels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = embeddings.shape[0];
        var x = nn.functional.normalize(embeddings.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
        var y = labels.to(x.device);
        var same = y.unsqueeze(1).eq(y.unsqueeze(0)).logical_and(eye(n, dtype: ScalarType.Bool, device: x.device).logical_not());
        long count = same.sum().item<long>();
        return count == 0 ? double.NaN : x.matmul(x.t()).masked_select(same).mean().item<double>();
    }
}
