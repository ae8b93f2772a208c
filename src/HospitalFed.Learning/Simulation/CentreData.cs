using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Simulation;

/// <summary>One hospital of the benchmark with its published train/test split.</summary>
/// <param name="Name">Centre name as in FLamby (cleveland, hungarian, switzerland, va).</param>
/// <param name="Train">Training rows.</param>
/// <param name="Test">Test rows.</param>
public sealed record CentreData(string Name, ExtractTable Train, ExtractTable Test);
