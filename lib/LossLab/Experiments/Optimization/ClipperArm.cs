using LossLab.Training;

namespace LossLab.Experiments.Optimization;

/// <summary>A gradient clipper as part of an arm: its name and a factory (each run gets a fresh clipper, since clippers
/// such as AdaGC keep state).</summary>
/// <param name="Name">The clipping rule's name ("global", "AdaGC").</param>
/// <param name="Create">Builds a fresh clipper.</param>
public sealed record ClipperArm(string Name, Func<IGradientClipper> Create);
