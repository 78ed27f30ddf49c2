using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>The MLP of <see cref="PlasticityBench"/>, inputs → H → H → classes with ReLU, written out so that the hidden
/// activations of the last forward pass are at hand (continual backprop reads them after each step).</summary>
sealed class PlasticityNetwork
{
    public PlasticityNetwork(int inputs, int hidden, int classes, Device device)
    {
        Layers = [nn.Linear(inputs, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, classes)];
        Module = nn.Sequential(Layers[0], Layers[1], Layers[2]);   // a container for the parameters
        Module.to(device);
    }

    public Linear[] Layers { get; }
    public nn.Module Module { get; }
    public IEnumerable<Parameter> Parameters => Module.parameters();
    public Tensor[] LastHidden { get; private set; } = [];

    public (Tensor H1, Tensor H2, Tensor Logits) Forward(Tensor x)
    {
        var h1 = nn.functional.relu(Layers[0].forward(x));
        var h2 = nn.functional.relu(Layers[1].forward(h1));
        return (h1, h2, Layers[2].forward(h2));
    }

    public Tensor Train(Tensor x)
    {
        var (h1, h2, logits) = Forward(x);
        LastHidden = [h1, h2];
        return logits;
    }
}
