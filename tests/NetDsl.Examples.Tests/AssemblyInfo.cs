// torch's random generator is process-wide: tests that seed it to get repeatable weights must not
// interleave with other tests drawing from it. libtorch already uses both cores within each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
