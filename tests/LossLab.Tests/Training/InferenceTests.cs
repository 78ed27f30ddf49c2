using LossLab.Training;
using LossLab.Models;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Tests.Training;

public class InferenceTests
{
    [Fact]
    public void Predict_concatenates_batches_in_order_in_eval_mode_and_restores_the_mode()
    {
        var mlp = new Mlp([4, 8, 3], dropout: 0.5);
        using var data = new LabeledTensors(randn(10, 4), zeros(10, dtype: ScalarType.Int64));
        mlp.eval();
        var whole = mlp.forward(data.Features).data<float>().ToArray();
        mlp.train();
        using var predicted = Inference.Predict(mlp, data, batchSize: 3);
        var got = predicted.data<float>().ToArray();
        Assert.Equal(whole.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.Equal(whole[i], got[i], 5);   // batch size changes GEMM rounding only
        Assert.True(mlp.training);
        Assert.False(predicted.requires_grad);
        using var features = Inference.Map(mlp, mlp.Features, data, 4);
        Assert.Equal(new long[] { 10, 8 }, features.shape);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Inference.Predict(mlp, data, 0)).ParamName);
    }
}
