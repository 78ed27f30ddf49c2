using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

public class TorchLoadsTests
{
    [Fact]
    public void Torch_loads_and_multiplies_a_known_matrix()
    {
        // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]
        using var a = tensor(new double[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new double[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c.data<double>().ToArray());
    }

    [Fact]
    public void Autograd_gives_the_derivative_of_a_cube()
    {
        using var x = tensor(3.0, requires_grad: true);
        using var y = x.pow(3);
        y.backward();
        Assert.Equal(27.0, x.grad!.item<double>(), 12);   // d/dx x³ = 3x² = 27
    }
}
