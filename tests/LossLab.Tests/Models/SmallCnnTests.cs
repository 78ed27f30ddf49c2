using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Models;

[Collection(GlobalRandomCollection.Name)]
public class SmallCnnTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(8, 10, 16, 32, 64)]
    [InlineData(28, 10, 8, 16, 32)]
    [InlineData(8, 3, 2, 3, 5)]
    public void Parameter_count_matches_the_formula(int s, int classes, int c1, int c2, int hidden)
    {
        long expected = (9 * c1 + c1) + (9 * c1 * c2 + c2) + (c2 * (s / 4) * (s / 4) * hidden + hidden) + (hidden * classes + classes);
        Assert.Equal(expected, Count(new SmallCnn(s, classes, c1, c2, hidden)));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(28)]
    public void Accepts_images_planes_and_flat_vectors_with_the_same_result(int s)
    {
        var cnn = new SmallCnn(s, classes: 4, hiddenSize: 12);
        using var images = randn(3, 1, s, s);
        var a = cnn.forward(images);
        Assert.Equal(new long[] { 3, 4 }, a.shape);
        Assert.Equal(a.data<float>().ToArray(), cnn.forward(images.view(3, s, s)).data<float>().ToArray());
        Assert.Equal(a.data<float>().ToArray(), cnn.forward(images.view(3, s * s)).data<float>().ToArray());
        Assert.Equal(new long[] { 3, 12 }, cnn.Features(images).shape);
    }

    [Fact]
    public void Bad_sizes_and_inputs_are_rejected()
    {
        Assert.Equal("imageSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SmallCnn(16)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => new SmallCnn(8, 0)).ParamName);
        var cnn = new SmallCnn(8);
        using var wrong = randn(2, 1, 28, 28);
        Assert.Contains("[2, 1, 28, 28]", Assert.Throws<ArgumentException>(() => cnn.forward(wrong)).Message);
    }

    [Fact]
    public void A_few_steps_lower_the_loss_on_a_fixed_batch()
    {
        Seeds.Fix(2);
        var cnn = new SmallCnn(8, classes: 3, channels1: 4, channels2: 8, hiddenSize: 16);
        using var x = randn(12, 64);
        using var y = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 });
        var trainer = new Trainer(cnn, optim.Adam(cnn.parameters(), 1e-2), Objectives.CrossEntropy(cnn));
        double first = trainer.TrainStep(x, y);
        double last = first;
        for (int i = 0; i < 10; i++) last = trainer.TrainStep(x, y);
        Assert.True(last < 0.7 * first, $"loss went from {first} to {last}");
    }
}
