using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>Moves a data set to a device only when it is elsewhere, so that a bench never disposes its caller's tensors.</summary>
static class DeviceData
{
    /// <summary>Whether <paramref name="tensor"/> lives on <paramref name="device"/>.</summary>
    public static bool IsOn(Tensor tensor, Device device) =>
        tensor.device_type == device.type && (device.index < 0 || tensor.device_index == device.index);

    /// <summary><paramref name="data"/> itself when it is on <paramref name="device"/>, else a copy there (then
    /// <c>Copied</c> is true and the caller disposes it).</summary>
    public static (LabeledTensors Data, bool Copied) On(LabeledTensors data, Device device) =>
        IsOn(data.Features, device) && IsOn(data.Labels, device) ? (data, false) : (data.To(device), true);
}
