using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// Chooses the device that computations run on: the one asked for, else the <c>LOSSLAB_DEVICE</c> environment variable,
/// else CUDA when libtorch can see a GPU, else the CPU.
/// </summary>
public static class Devices
{
    /// <summary>The environment variable that overrides the automatic choice ("cpu", "cuda", "cuda:1").</summary>
    public const string EnvironmentVariable = "LOSSLAB_DEVICE";

    /// <summary>Returns the device named by <paramref name="requested"/> or, when it is null or "auto", by
    /// <c>LOSSLAB_DEVICE</c>, or else CUDA when available and the CPU otherwise.</summary>
    /// <exception cref="ArgumentException">The name is not a device, or names CUDA on a machine without it.</exception>
    public static torch.Device Choose(string? requested = null)
    {
        TorchRuntime.EnsureConfigured();
        string? name = string.IsNullOrWhiteSpace(requested) || requested.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : requested;
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        name = name.Trim().ToLowerInvariant();
        if (name != "cpu" && !name.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda, cuda:N or auto.", nameof(requested));
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' was asked for, but libtorch sees no CUDA device (is the CUDA libtorch package referenced? see environment.md).", nameof(requested));
        return torch.device(name);
    }
}
