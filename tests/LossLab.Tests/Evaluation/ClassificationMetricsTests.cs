using LossLab.Evaluation;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class ClassificationMetricsTests
{
    // Five samples, three classes. Arg-max of each row, label, right?
    //   [2, 1, 0]       → 0, label 0  ✓
    //   [0, 3, 1]       → 1, label 2  ✗
    //   [0.1, 0.2, 0.9] → 2, label 2  ✓
    //   [5, 0, 0]       → 0, label 1  ✗
    //   [0, 0, 1]       → 2, label 2  ✓
    static Tensor Logits() => tensor(new float[] { 2, 1, 0, 0, 3, 1, 0.1f, 0.2f, 0.9f, 5, 0, 0, 0, 0, 1 }, [5, 3]);
    static Tensor Labels() => tensor(new long[] { 0, 2, 2, 1, 2 });

    [Fact]
    public void Accuracy_counts_arg_max_hits()
    {
        using var logits = Logits();
        using var labels = Labels();
        Assert.Equal(3 / 5.0, ClassificationMetrics.Accuracy(logits, labels), 12);
        using var predictions = tensor(new long[] { 0, 1, 2, 0, 2 });
        Assert.Equal(3 / 5.0, ClassificationMetrics.Accuracy(predictions, labels), 12);
        Assert.Equal(0.5, ClassificationMetrics.Accuracy([1L, 2L], [1L, 0L]), 12);
    }

    [Fact]
    public void Confusion_matrix_has_true_classes_in_rows()
    {
        using var logits = Logits();
        using var labels = Labels();
        var m = ClassificationMetrics.ConfusionMatrix(logits, labels);
        Assert.Equal(new long[,] { { 1, 0, 0 }, { 1, 0, 0 }, { 0, 1, 2 } }, m);
        var wide = ClassificationMetrics.ConfusionMatrix(logits, labels, numClasses: 4);
        Assert.Equal(4, wide.GetLength(0));
        Assert.Equal(0, wide[3, 3]);
    }

    [Fact]
    public void Per_class_and_balanced_accuracy_by_hand()
    {
        using var logits = Logits();
        using var labels = Labels();
        // class 0: 1 of 1; class 1: 0 of 1; class 2: 2 of 3
        Assert.Equal(new[] { 1.0, 0.0, 2 / 3.0 }, ClassificationMetrics.PerClassAccuracy(logits, labels), new DoubleComparer(1e-12));
        Assert.Equal((1 + 0 + 2 / 3.0) / 3, ClassificationMetrics.BalancedAccuracy(logits, labels), 12);
        // a class without test samples has no accuracy (NaN) and is skipped by the balanced mean
        var perClass = ClassificationMetrics.PerClassAccuracy(logits, labels, numClasses: 4);
        Assert.True(double.IsNaN(perClass[3]));
        Assert.Equal((1 + 0 + 2 / 3.0) / 3, ClassificationMetrics.BalancedAccuracy(logits, labels, numClasses: 4), 12);
    }

    [Fact]
    public void Shot_groups_follow_the_training_counts()
    {
        // training counts: class 0 = 500 (many), 1 = 50 (medium), 2 = 10 (few), 3 = 101 (many)
        long[] train = [500, 50, 10, 101];
        long[] labels = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 3, 3];
        long[] predictions = [0, 0, 0, 1, 1, 0, 2, 0, 0, 1, 3, 3, 3];
        // per class: 3/4, 1/2, 1/5, 2/2 → many = (0.75 + 1)/2, medium = 0.5, few = 0.2
        var shot = ClassificationMetrics.ShotAccuracy(predictions, labels, train);
        Assert.Equal(0.875, shot.Many, 12);
        Assert.Equal(0.5, shot.Medium, 12);
        Assert.Equal(0.2, shot.Few, 12);
        Assert.Equal((2, 1, 1), (shot.ManyClasses, shot.MediumClasses, shot.FewClasses));
    }

    [Fact]
    public void Shot_thresholds_are_strict_and_configurable()
    {
        long[] labels = [0, 1, 2, 3];
        long[] predictions = [0, 1, 0, 3];
        // 100 and 20 are medium (many needs > 100, few < 20); 19 is few; 101 is many
        var shot = ClassificationMetrics.ShotAccuracy(predictions, labels, [100, 20, 19, 101]);
        Assert.Equal((1, 2, 1), (shot.ManyClasses, shot.MediumClasses, shot.FewClasses));
        Assert.Equal(0.0, shot.Few, 12);
        var custom = ClassificationMetrics.ShotAccuracy(predictions, labels, [100, 20, 19, 101], manyThreshold: 50, fewThreshold: 5);
        Assert.Equal((2, 2, 0), (custom.ManyClasses, custom.MediumClasses, custom.FewClasses));
        Assert.True(double.IsNaN(custom.Few));
    }

    [Fact]
    public void Shot_accuracy_reads_tensors_too()
    {
        using var logits = Logits();
        using var labels = Labels();
        var shot = ClassificationMetrics.ShotAccuracy(logits, labels, [1000, 5, 50]);
        Assert.Equal((1.0, 2 / 3.0, 0.0), (shot.Many, shot.Medium, shot.Few));
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_the_argument_named()
    {
        using var logits = Logits();
        using var shortLabels = tensor(new long[] { 0, 1 });
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(logits, shortLabels)).ParamName);
        using var floatLabels = tensor(new float[] { 0, 1, 2, 0, 1 });
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(logits, floatLabels)).ParamName);
        using var cube = zeros(2, 2, 2);
        using var two = tensor(new long[] { 0, 1 });
        Assert.Equal("logitsOrPredictions", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(cube, two)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.ConfusionMatrix([0L, 1L], [0L, 5L], 3)).ParamName);
        Assert.Equal("fewThreshold", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClassificationMetrics.ShotAccuracy([0L], [0L], [10], manyThreshold: 10, fewThreshold: 50)).ParamName);
    }
}

/// <summary>Compares doubles to an absolute tolerance.</summary>
public sealed class DoubleComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance || (double.IsNaN(x) && double.IsNaN(y));
    public int GetHashCode(double obj) => 0;
}
