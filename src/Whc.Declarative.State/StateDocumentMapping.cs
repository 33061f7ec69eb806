using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>
/// The one place a state file's document (<see cref="StateDocument"/>) and Core's <see cref="CompanyState"/> are mapped
/// to each other. Writing: fields added to a format after its first release are left out when unset (files without
/// them keep their bytes). Reading: a list left out is empty; nothing is dropped (an unknown field never gets here).
/// </summary>
internal static class StateDocumentMapping
{
    public static StateDocument ToDocument(CompanyState state, long? parentSerial = null) => new()
    {
        Version = state.Version,
        Serial = state.Serial,
        ParentSerial = parentSerial,
        Lineage = state.Lineage,
        Company = state.Company,
        Record = state.Record is { } record ? ToDocument(record) : null,
        NumberBlocks = [.. state.NumberBlocks.Select(ToDocument)],
        Sites = [.. state.Sites.Select(ToDocument)],
        Users = [.. state.Users.Select(ToDocument)],
        Orders = [.. state.Orders.Select(ToDocument)],
        Intents = [.. state.Intents.Select(i => new IntentDocument { Id = i.Id, StepId = i.StepId, Operation = i.Operation, StartedAt = i.StartedAt, Details = i.Details })],
        Endpoint = state.Endpoint?.Value,
        Destroyed = state.Destroyed is { } destroyed ? ToDocument(destroyed) : null,
    };

    /// <summary>
    /// Where the document holds a null in a list or map (a user, a device's MAC address, an intent's detail): the JSON
    /// path of the first, or null when there is none. The reader refuses null fields, but not null items; a hole there
    /// would be mapped into the model, or crash the mapping.
    /// </summary>
    public static string? FirstNullItem(StateDocument document)
    {
        var blocks = document.NumberBlocks ?? [];
        for (var i = 0; i < blocks.Count; i++)
        {
            var path = $"$.numberBlocks[{i}]";
            if (blocks[i] is not { } block)
            {
                return path;
            }

            if (NullAt(block.Ranges, $"{path}.ranges") is { } range)
            {
                return range;
            }
        }

        if (NullAt(document.Sites, "$.sites") is { } site)
        {
            return site;
        }

        var users = document.Users ?? [];
        for (var i = 0; i < users.Count; i++)
        {
            var path = $"$.users[{i}]";
            if (users[i] is not { } user)
            {
                return path;
            }

            if (NullAt(user.DeviceMacAddresses, $"{path}.deviceMacAddresses") is { } device)
            {
                return device;
            }
        }

        var orders = document.Orders ?? [];
        for (var i = 0; i < orders.Count; i++)
        {
            var path = $"$.orders[{i}]";
            if (orders[i] is not { } order)
            {
                return path;
            }

            if ((NullAt(order.Resources, $"{path}.resources") ?? NullAt(order.Operations, $"{path}.operations") ?? NullAt(order.NumberRanges, $"{path}.numberRanges")) is { } item)
            {
                return item;
            }
        }

        var intents = document.Intents ?? [];
        for (var i = 0; i < intents.Count; i++)
        {
            var path = $"$.intents[{i}]";
            if (intents[i] is not { } intent)
            {
                return path;
            }

            foreach (var (key, value) in intent.Details ?? ImmutableSortedDictionary<string, string>.Empty)
            {
                if (value is null)
                {
                    return $"{path}.details.{key}";
                }
            }
        }

        return null;
    }

    private static string? NullAt<T>(IReadOnlyList<T>? items, string path)
    {
        if (items is null)
        {
            return null;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                return $"{path}[{i}]";
            }
        }

        return null;
    }

    public static CompanyState ToModel(StateDocument document) =>
        new(
            document.Version,
            document.Serial,
            document.Lineage,
            document.Company,
            document.Record is { } record ? ToModel(record) : null,
            [.. (document.NumberBlocks ?? []).Select(ToModel)],
            [.. (document.Sites ?? []).Select(ToModel)],
            [.. (document.Users ?? []).Select(ToModel)],
            [.. (document.Orders ?? []).Select(ToModel)],
            [.. (document.Intents ?? []).Select(i => new IntentRecord(i.Id, i.StepId, i.Operation, i.StartedAt, i.Details ?? ImmutableSortedDictionary<string, string>.Empty))])
        {
            Endpoint = EndpointName.OfRecorded(document.Endpoint),
            Destroyed = document.Destroyed is { } destroyed ? new CompanyTombstone(destroyed.At, destroyed.Name, destroyed.ServiceId) : null,
        };

    public static CompanyRecordDocument ToDocument(CompanyRecord record) => new()
    {
        Name = record.Name,
        Domain = record.Domain,
        CustomerGroup = record.CustomerGroup,
        CugId = record.CugId,
        BillingAccount = record.BillingAccount,
        ServiceId = record.ServiceId,
        Qualification = record.Qualification is { } q ? new QualificationDocument { Id = q.Id, ExpiresAt = q.ExpiresAt, Used = q.Used } : null,
        Active = record.Active,
        Protected = record.Protected,
    };

    public static NumberBlockDocument ToDocument(NumberBlockState block) => new()
    {
        Name = block.Name,
        AreaCode = block.AreaCode,
        Quantity = block.Quantity,
        Ranges = [.. block.Ranges.Select(r => new NumberRangeDocument { StartNumber = r.StartNumber, EndNumber = r.EndNumber, Active = r.Active, ServiceId = r.ServiceId })],
        Protected = block.Protected,
        Ported = block.Ported ? true : null,
    };

    public static SiteDocument ToDocument(SiteState site) => new()
    {
        Name = site.Name,
        LocationCode = site.LocationCode,
        NadKey = site.NadKey,
        ServiceId = site.ServiceId,
        Protected = site.Protected,
        FoundBy = site.FoundBy is { } address ? new SiteAddressDocument { Postcode = address.Postcode, Premises = address.Premises } : null,
    };

    public static UserDocument ToDocument(UserState user) => new()
    {
        Username = user.Username,
        Site = user.Site,
        FirstName = user.FirstName,
        LastName = user.LastName,
        Extension = user.Extension,
        NumberBlock = user.NumberBlock,
        DirectoryNumber = user.DirectoryNumber,
        Licence = user.Licence,
        DeviceMacAddresses = [.. user.DeviceMacAddresses],
        ServiceId = user.ServiceId,
        Protected = user.Protected,
    };

    public static TombstoneDocument ToDocument(CompanyTombstone tombstone) =>
        new() { At = tombstone.At, Name = tombstone.Name, ServiceId = tombstone.ServiceId };

    private static OrderDocument ToDocument(OrderRecord order) => new()
    {
        Id = order.Id,
        ExternalId = order.ExternalId,
        StepId = order.StepId,
        State = order.State,
        CreatedAt = order.CreatedAt,
        Resources = [.. order.Resources],
        Operations = order.Operations.IsDefaultOrEmpty
            ? null
            : [.. order.Operations.Select(o => new OrderOperationDocument
            {
                Address = new ResourceAddressDocument { Company = o.Address.Company, Kind = o.Address.Kind, Name = o.Address.Name },
                Kind = o.Kind,
            })],
        NumberRanges = order.NumberRanges.IsDefaultOrEmpty ? null : [.. order.NumberRanges],
    };

    private static CompanyRecord ToModel(CompanyRecordDocument record) =>
        new(
            record.Name,
            record.Domain,
            record.CustomerGroup,
            record.CugId,
            record.BillingAccount,
            record.ServiceId,
            record.Qualification is { } q ? new QualificationRecord(q.Id, q.ExpiresAt, q.Used) : null,
            record.Active)
        {
            Protected = record.Protected,
        };

    private static NumberBlockState ToModel(NumberBlockDocument block) =>
        new(block.Name, block.AreaCode, block.Quantity, [.. (block.Ranges ?? []).Select(r => new NumberRangeState(r.StartNumber, r.EndNumber, r.Active, r.ServiceId))])
        {
            Protected = block.Protected,
            Ported = block.Ported ?? false,
        };

    private static SiteState ToModel(SiteDocument site) =>
        new(site.Name, site.LocationCode, site.NadKey, site.ServiceId)
        {
            Protected = site.Protected,
            FoundBy = site.FoundBy is { } address ? new SiteAddressState(address.Postcode, address.Premises) : null,
        };

    private static UserState ToModel(UserDocument user) =>
        new(user.Username, user.Site, user.FirstName, user.LastName, user.Extension, user.NumberBlock, user.DirectoryNumber, user.Licence, [.. user.DeviceMacAddresses ?? []], user.ServiceId)
        {
            Protected = user.Protected,
        };

    private static OrderRecord ToModel(OrderDocument order) =>
        new(order.Id, order.ExternalId, order.StepId, order.State, order.CreatedAt, [.. order.Resources ?? []])
        {
            Operations = [.. (order.Operations ?? []).Select(o => new OrderOperation(new ResourceAddress(o.Address.Company, o.Address.Kind, o.Address.Name), o.Kind))],
            NumberRanges = [.. order.NumberRanges ?? []],
        };
}
