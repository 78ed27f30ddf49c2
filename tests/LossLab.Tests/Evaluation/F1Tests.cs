using LossLab.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class F1Tests
{
    [Fact]
    public void Per_class_and_macro_f1_match_hand_counts()
    {
        // labels      0 0 0 1 1 2
        // predictions 0 0 1 1 2 2   class 0: TP 2 FP 0 FN 1 → 4/5; class 1: TP 1 FP 1 FN 1 → 1/2; class 2: TP 1 FP 1 FN 0 → 2/3
        long[] y = { 0, 0, 0, 1, 1, 2 }, p = { 0, 0, 1, 1, 2, 2 };
        var perClass = F1.PerClass(p, y, 4);
        Assert.Equal(0.8, perClass[0], 15);
        Assert.Equal(0.5, perClass[1], 15);
        Assert.Equal(2.0 / 3, perClass[2], 15);
        Assert.True(double.IsNaN(perClass[3]));                       // class 3 absent from both: left out
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, F1.Macro(p, y, 4), 15);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, F1.Macro(torch.tensor(p), torch.tensor(y), 4), 15);
    }

    [Fact]
    public void A_class_only_predicted_counts_with_f1_zero()
    {
        long[] y = { 0, 0 }, p = { 0, 1 };                              // class 1: TP 0, FP 1 → 0; class 0: 2/3
        Assert.Equal((2.0 / 3 + 0) / 2, F1.Macro(p, y, 2), 15);
    }

    [Fact]
    public void Binary_f1_is_the_positive_class_f1_and_zero_without_positives()
    {
        Assert.Equal(2.0 / 3, F1.Binary(new long[] { 1, 1, 0, 0 }, new long[] { 1, 0, 0, 0 }), 15);
        Assert.Equal(0.0, F1.Binary(new long[] { 0, 0 }, new long[] { 0, 0 }));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => F1.Macro(new long[] { 0 }, new long[] { 0, 1 }, 2)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => F1.Macro(new long[] { 0 }, new long[] { 2 }, 2)).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentOutOfRangeException>(() => F1.Macro(new long[] { -1 }, new long[] { 0 }, 2)).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => F1.PerClass(new long[] { 0 }, new long[] { 0 }, 0)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => F1.Macro(torch.zeros(2, ScalarType.Int64), torch.zeros(2), 2)).ParamName);
    }
}
