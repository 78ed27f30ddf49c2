using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class WeightBalancingTests
{
    [Fact]
    public void Max_norm_rescales_only_rows_longer_than_the_threshold()
    {
        var w = F64(new[] { 3.0, 4.0, 0.1, 0.0, 0.0, -2.0 }, 3, 2);
        WeightBalancing.MaxNormProject(w, 1.0);
        AllClose(new[] { 0.6, 0.8, 0.1, 0.0, 0.0, -1.0 }, w.data<double>().ToArray(), 1e-15);
    }

    [Fact]
    public void Max_norm_works_on_a_parameter_that_requires_grad_and_on_conv_shaped_rows()
    {
        var p = new TorchSharp.Modules.Parameter(F64(new[] { 0.0, 0.3, 0.4, 0.0, 0.0, 0.0, 0.0, 0.05 }, 2, 2, 2));
        WeightBalancing.MaxNormProject(p, 0.1);
        AllClose(new[] { 0.0, 0.06, 0.08, 0.0, 0.0, 0.0, 0.0, 0.05 }, p.data<double>().ToArray(), 1e-15);
        Assert.True(p.requires_grad);
    }

    [Fact]
    public void Decoupled_weight_decay_shrinks_by_one_minus_lr_times_lambda()
    {
        var a = F64(new[] { 1.0, -2.0 }, 2);
        var b = F64(new[] { 4.0 }, 1);
        WeightBalancing.DecayWeights(new[] { a, b }, 0.1, 0.5);
        AllClose(new[] { 0.95, -1.9 }, a.data<double>().ToArray(), 1e-15);
        AllClose(new[] { 3.8 }, b.data<double>().ToArray(), 1e-15);
    }

    [Fact]
    public void Stage_two_freezes_everything_but_the_classifier()
    {
        var features = nn.Linear(3, 4);
        var classifier = nn.Linear(4, 2);
        var model = nn.Sequential(("features", features), ("relu", nn.ReLU()), ("classifier", classifier));
        var trainable = WeightBalancing.FreezeAllButClassifier(model, classifier);
        Assert.Equal(2, trainable.Count);
        Assert.All(features.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(classifier.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal("classifier", Assert.Throws<ArgumentException>(() => WeightBalancing.FreezeAllButClassifier(model, nn.Linear(2, 2))).ParamName);
    }

    [Fact]
    public void Stage_two_weights_are_inverse_frequency_or_class_balanced()
    {
        long[] counts = { 100, 10 };
        AllClose(new[] { 2 * 0.01 / 0.11, 2 * 0.1 / 0.11 }, WeightBalancing.ClassifierRetrainingWeights(counts), 1e-14);
        AllClose(ClassBalancedWeights.EffectiveNumber(counts, 0.99), WeightBalancing.ClassifierRetrainingWeights(counts, 0.99), 0);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => WeightBalancing.MaxNormProject(torch.ones(2, 2), 0)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => WeightBalancing.MaxNormProject(torch.ones(2, 2, ScalarType.Int64), 1)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => WeightBalancing.MaxNormProject(torch.tensor(1.0), 1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => WeightBalancing.DecayWeights(new[] { torch.ones(1) }, 1, 2)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => WeightBalancing.DecayWeights(new[] { torch.ones(1) }, 0, 1)).ParamName);
    }
}
