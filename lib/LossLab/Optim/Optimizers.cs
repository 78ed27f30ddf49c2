using TorchSharp.Modules;

namespace LossLab.Optim;

/// <summary>Drop-in replacements for <c>torch.optim.Adam</c>, <c>AdamW</c> and <c>SGD</c> with the same argument names and
/// defaults, returning LossLab's <see cref="AdamOptimizer"/>, <see cref="AdamWOptimizer"/> and <see cref="SgdOptimizer"/>:
/// the same numbers bit for bit, without TorchSharp's temporary scalars in the update (see <see cref="AdamOptimizer"/>).
/// Every LossLab training loop and notebook builds its optimizers here.</summary>
public static class Optimizers
{
    /// <summary>Adam with L2 weight decay added to the gradient, as <c>torch.optim.Adam</c>.</summary>
    public static AdamOptimizer Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weight_decay = 0) =>
        new(parameters, lr, beta1, beta2, eps, weight_decay);

    /// <summary>Adam with decoupled weight decay, as <c>torch.optim.AdamW</c>.</summary>
    public static AdamWOptimizer AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weight_decay = 0.01) =>
        new(parameters, lr, beta1, beta2, eps, weight_decay);

    /// <summary>SGD with optional momentum, dampening, L2 weight decay and Nesterov momentum, as <c>torch.optim.SGD</c>.</summary>
    public static SgdOptimizer SGD(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weight_decay = 0, bool nesterov = false) =>
        new(parameters, learningRate, momentum, dampening, weight_decay, nesterov);
}
