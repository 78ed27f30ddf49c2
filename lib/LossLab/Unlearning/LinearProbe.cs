using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>The result of a linear probe: accuracy on the evaluation features overall and per class (percent; NaN for a
/// class absent from the evaluation set).</summary>
public sealed record LinearProbeResult(double Accuracy, IReadOnlyList<double> ClassAccuracy, int Iterations);

/// <summary>
/// A linear probe on frozen features (Alain and Bengio 2016, arXiv:1610.01644; the representation audit of "Are We Truly
/// Forgetting?"): multinomial logistic regression z = W·s + b on features s standardised with the training features'
/// mean and standard deviation, fitted by L-BFGS to min mean CE + (λ/2)‖W‖²_F in float64. If a probe still separates a
/// forgotten class, the features kept the information the logits hid.
/// </summary>
public static class LinearProbe
{
    /// <summary>Fits the probe on (<paramref name="trainFeatures"/>, <paramref name="trainLabels"/>) and scores it on
    /// (<paramref name="testFeatures"/>, <paramref name="testLabels"/>).</summary>
    /// <param name="trainFeatures">(n, d) floating features.</param>
    /// <param name="trainLabels">(n) int64 labels in [0, numClasses).</param>
    /// <param name="testFeatures">(m, d) floating features.</param>
    /// <param name="testLabels">(m) int64 labels.</param>
    /// <param name="numClasses">C.</param>
    /// <param name="l2">λ ≥ 0 (default 1e-3), on W only.</param>
    /// <param name="maxIterations">L-BFGS iterations.</param>
    public static LinearProbeResult Fit(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        int numClasses, double l2 = 1e-3, int maxIterations = 200)
    {
        Guard.EmbeddingsAndLabels(trainFeatures, trainLabels, nameof(trainFeatures), nameof(trainLabels));
        Guard.EmbeddingsAndLabels(testFeatures, testLabels, nameof(testFeatures), nameof(testLabels));
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be ≥ 2.");
        Guard.LabelRange(trainLabels, numClasses, nameof(trainLabels));
        Guard.LabelRange(testLabels, numClasses, nameof(testLabels));
        if (testFeatures.shape[1] != trainFeatures.shape[1])
            throw new ArgumentException($"testFeatures must have the width of trainFeatures: {Guard.Shape(testFeatures)} vs {Guard.Shape(trainFeatures)}.", nameof(testFeatures));
        if (trainFeatures.shape[0] == 0) throw new ArgumentException("trainFeatures must have at least one row.", nameof(trainFeatures));
        if (testFeatures.shape[0] == 0) throw new ArgumentException("testFeatures must have at least one row.", nameof(testFeatures));
        Guard.NonNegative(l2, nameof(l2));
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be ≥ 1.");

        using var scope = NewDisposeScope();
        var (w, b, iterations) = Train(trainFeatures, trainLabels, numClasses, l2, maxIterations, out var mean, out var std);
        using var _ = no_grad();
        var s = (testFeatures.detach().to_type(ScalarType.Float64).cpu() - mean) / std;
        var predicted = (s.matmul(w.t()) + b).argmax(1);
        var labels = testLabels.cpu().to_type(ScalarType.Int64);
        var correct = predicted.eq(labels).to_type(ScalarType.Float64);
        double accuracy = 100 * correct.mean().item<double>();
        var perClass = new double[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            var inClass = labels.eq(c);
            long count = inClass.sum().item<long>();
            perClass[c] = count == 0 ? double.NaN : 100 * correct.masked_select(inClass).sum().item<double>() / count;
        }
        return new LinearProbeResult(accuracy, perClass, iterations);
    }

    /// <summary>Fits the probe on frozen features of a model: <paramref name="features"/> (e.g. <c>mlp.Features</c>, the
    /// penultimate representation) evaluated without gradients on <paramref name="train"/> and <paramref name="test"/>.</summary>
    public static LinearProbeResult OnFeatures(Func<Tensor, Tensor> features, nn.Module model, LossLab.Data.LabeledTensors train,
        LossLab.Data.LabeledTensors test, int numClasses, double l2 = 1e-3, int maxIterations = 200)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        using var scope = NewDisposeScope();
        var trainFeatures = ModelOutputs.Apply(features, model, train);
        var testFeatures = ModelOutputs.Apply(features, model, test);
        return Fit(trainFeatures, train.Labels.cpu().to_type(ScalarType.Int64), testFeatures, test.Labels.cpu().to_type(ScalarType.Int64),
            numClasses, l2, maxIterations);
    }

    /// <summary>The fitted (W, b) on standardised features (float64 CPU tensors in the caller's scope), for tests.</summary>
    internal static (Tensor W, Tensor B, int Iterations) Train(Tensor features, Tensor labels, int numClasses, double l2,
        int maxIterations, out Tensor mean, out Tensor std)
    {
        var x = features.detach().to_type(ScalarType.Float64).cpu();
        var y = labels.cpu().to_type(ScalarType.Int64);
        mean = x.mean([0], keepdim: true);
        std = x.std(0, keepdim: true).clamp_min(1e-12);
        if (x.shape[0] < 2) std = ones_like(std);
        var s = (x - mean) / std;
        var w = new TorchSharp.Modules.Parameter(zeros(numClasses, x.shape[1], dtype: ScalarType.Float64));
        var b = new TorchSharp.Modules.Parameter(zeros(numClasses, dtype: ScalarType.Float64));
        using var optimizer = optim.LBFGS(new[] { w, b }, lr: 1, max_iter: maxIterations, tolerange_grad: 1e-10, tolerance_change: 1e-14, history_size: 20);
        int evaluations = 0;
        optimizer.step(() =>
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(s.matmul(w.t()) + b, y) + 0.5 * l2 * w.square().sum();
            loss.backward();
            evaluations++;
            return loss;
        });
        return (w.detach(), b.detach(), evaluations);
    }
}
