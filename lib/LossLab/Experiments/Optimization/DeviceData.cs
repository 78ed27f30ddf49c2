using LossLab.Data;
using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>Moves a data set to a device only when it is elsewhere, so that a bench never disposes its caller's tensors.</summary>
static class DeviceData
{
    /// <summary><paramref name="data"/> itself when it is on <paramref name="device"/>, else a copy there (then
    /// <c>Copied</c> is true and the caller disposes it).</summary>
    public static (LabeledTensors Data, bool Copied) On(LabeledTensors data, Device device) =>
        Devices.Holds(device, data.Features) && Devices.Holds(device, data.Labels) ? (data, false) : (data.To(device), true);
}
