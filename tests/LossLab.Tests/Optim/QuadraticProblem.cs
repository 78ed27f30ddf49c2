using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

/// <summary>f(w) = Σ_i c_i·w_i + ½·d_i·w_i², gradient g_i = c_i + d_i·w_i: a small problem with a hand-computable gradient.</summary>
internal sealed class QuadraticProblem
{
    public static readonly double[] Start = [0.5, -1.5, 2.0, 0.0, -0.3];
    public static readonly double[] C = [0.3, -0.2, 1.0, 0.5, -0.7];
    public static readonly double[] D = [1.0, 4.0, 0.5, 2.0, 3.0];

    public Parameter W { get; } = new(tensor(Start, dtype: ScalarType.Float64), requires_grad: true);

    public static double[] Gradient(double[] w) => w.Select((x, i) => C[i] + D[i] * x).ToArray();

    /// <summary>Zeroes the gradient, computes f and back-propagates.</summary>
    public Tensor Backward()
    {
        W.grad?.zero_();
        using var c = tensor(C, dtype: ScalarType.Float64);
        using var d = tensor(D, dtype: ScalarType.Float64);
        var loss = (c * W).sum() + 0.5 * (d * W * W).sum();
        loss.backward();
        return loss;
    }

    public double[] Values => W.detach().data<double>().ToArray();

    /// <summary>Runs <paramref name="steps"/> optimizer steps and returns w after each.</summary>
    public List<double[]> Run(torch.optim.Optimizer optimizer, int steps)
    {
        var trace = new List<double[]>();
        for (var s = 0; s < steps; s++)
        {
            optimizer.zero_grad();
            Backward().Dispose();
            optimizer.step();
            trace.Add(Values);
        }
        return trace;
    }

    public static void AssertClose(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
