using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Create, list, submit and read orders; the order engine that applies completed items to the inventory.</summary>
internal sealed partial class WhcEmulator
{
    private const string Company = "WHCCompany";
    private const string Site = "WHCSite";
    private const string User = "WHCUser";
    private const string NewNumber = "WHCNewnumber";
    private const string PortedNumber = "WHCPortednumber";
    private const string Add = "add";
    private const string Modify = "modify";
    private const string Delete = "delete";
    private const string NoChange = "noChange";

    private static readonly string[] Actions = [Add, Modify, Delete, NoChange];

    private static readonly Dictionary<string, string[]> AllowedChildren = new(StringComparer.Ordinal)
    {
        [Company] = [Site, NewNumber, PortedNumber],
        [Site] = [User],
        [User] = [],
        [NewNumber] = [],
        [PortedNumber] = [],
    };

    public ApiResult CreateOrder(JsonNode? body)
    {
        var errors = new List<string>();
        var cugId = JsonRead.CustomerCug(body);
        if (string.IsNullOrEmpty(cugId))
        {
            errors.Add("relatedParty: a party with role 'customer' and an id (the CUG) is required");
        }

        var roots = JsonRead.Array(body, "productOrderItem");
        var items = roots.Select((node, i) => ParseItem(node, $"productOrderItem[{i}]", null, errors)).ToList();
        if (roots.Count != 1)
        {
            errors.Add("productOrderItem: exactly one WHCCompany item is required at the top level");
        }
        else if (items[0].ProductOfferingId != Company)
        {
            errors.Add($"productOrderItem[0]: the top-level item must be a WHCCompany, not '{items[0].ProductOfferingId}'");
        }

        if (errors.Count > 0 || cugId is null)
        {
            return ApiResult.SchemaInvalid("Schema validation failed", errors);
        }

        var users = Flatten(items).Count(i => i.ProductOfferingId == User);
        if (users > _maxUsersPerOrder)
        {
            // BT: larger payloads time out. Nothing is created.
            return ApiResult.Error(504, "69", "Downstream timeout");
        }

        lock (_gate)
        {
            ProcessDue();
            var now = _clock.GetUtcNow();
            var order = new OrderRecord
            {
                ExternalId = JsonRead.String(body, "externalId"),
                CugId = cugId,
                BillingAccount = JsonRead.String(body, "billingAccount", "id"),
                OrderDate = now,
                Items = items,
            };

            // Validate by applying the order to a copy of the inventory: catches every rule, including duplicates
            // inside the order itself, with the same code that later processes it.
            var simulated = Clone(order);
            simulated.Id = "validation";
            ApplyOrder(ValidationCopy(order.Items[0]), simulated, now, atCreation: true);
            var problems = Flatten(simulated.Items).Where(i => i.ErrorMessage is not null && i.ErrorMessage != ParentFailed)
                .Select(i => $"productOrderItem {i.Id} ({i.ProductOfferingId} {i.Action}): {i.ErrorMessage}").ToList();
            if (problems.Count > 0)
            {
                return ApiResult.SchemaInvalid("Order validation failed", problems);
            }

            order.Id = "BTWKN" + Next(() => _state.NextServiceNumber++);
            var root = order.Items[0];
            if (root.Action == Add)
            {
                var company = _state.Companies.First(c => c.Qualifications.Any(q => q.Id == root.QualificationId));
                company.Qualifications.First(q => q.Id == root.QualificationId).UsedByOrderId = order.Id;
                order.CompanyServiceId = company.ServiceId;
            }
            else
            {
                order.CompanyServiceId = root.ProductId;
            }

            _state.Orders.Add(order);
            Persist();
            return ApiResult.Created(new JsonObject { ["id"] = order.Id, ["@referredType"] = "ProductOrder" });
        }
    }

    /// <summary>
    /// The inventory an order is validated against. Applying an order changes only the company it is for (its root
    /// item) and the service-number counter, so only that company is copied; the rest is shared, read only. Copying
    /// the whole inventory made every order cost as much as the sandbox's entire history.
    /// </summary>
    private SandboxState ValidationCopy(OrderItemRecord root)
    {
        var target = root.Action == Add
            ? _state.Companies.FirstOrDefault(c => c.Qualifications.Any(q => q.Id == root.QualificationId))
            : _state.Companies.FirstOrDefault(c => c.ServiceId == root.ProductId);
        return new SandboxState
        {
            Version = _state.Version,
            NextServiceNumber = _state.NextServiceNumber,
            NextQualificationNumber = _state.NextQualificationNumber,
            NextTemporaryAddressNumber = _state.NextTemporaryAddressNumber,
            Companies = [.. _state.Companies.Select(c => ReferenceEquals(c, target) ? Clone(c) : c)],
            CreatedAddresses = _state.CreatedAddresses,
        };
    }

    /// <summary>The orders with this external id that the client may see (those of CUGs it may act for).</summary>
    public ApiResult ListOrders(string? externalId, CugBinding binding)
    {
        if (string.IsNullOrEmpty(externalId))
        {
            return ApiResult.MissingQuery("externalId");
        }

        lock (_gate)
        {
            ProcessDue();
            return ApiResult.Ok(new JsonArray(_state.Orders.Where(o => o.ExternalId == externalId && binding.Allows(o.CugId)).Select(o => (JsonNode?)OrderView(o)).ToArray()));
        }
    }

    public ApiResult SubmitOrder(JsonNode? body, CugBinding binding)
    {
        var id = JsonRead.String(body, "productOrder", "id");
        if (string.IsNullOrEmpty(id))
        {
            return ApiResult.SchemaInvalid("Schema validation failed", ["productOrder.id is required"]);
        }

        lock (_gate)
        {
            ProcessDue();
            var order = FindOrder(id, binding);
            if (order is null)
            {
                return ApiResult.Error(404, "60", $"Order {id} not found");
            }

            if (order.State == OrderStates.Pending)
            {
                order.SubmittedAt = _clock.GetUtcNow();
                SetState(order, OrderStates.Acknowledged);
                ProcessDue();
                Persist();
            }

            var reference = new JsonObject { ["id"] = order.Id, ["@referredType"] = "ProductOrder" };
            return ApiResult.Created(new JsonObject { ["id"] = order.Id, ["productOrder"] = reference });
        }
    }

    public ApiResult ReadOrder(string id, CugBinding binding)
    {
        lock (_gate)
        {
            ProcessDue();
            var order = FindOrder(id, binding);
            return order is null ? ApiResult.Error(404, "60", $"Order {id} not found") : ApiResult.Ok(OrderView(order));
        }
    }

    /// <summary>The order, or null when it is unknown or of a CUG the client may not act for (it must not learn it exists).</summary>
    private OrderRecord? FindOrder(string id, CugBinding binding) =>
        _state.Orders.FirstOrDefault(o => o.Id == id && binding.Allows(o.CugId));

    /// <summary>Moves submitted orders along acknowledged → inProgress → completed/failed/partial on the sandbox clock.</summary>
    private void ProcessDue()
    {
        var now = _clock.GetUtcNow();
        var changed = false;
        foreach (var order in _state.Orders.Where(o => o.State is OrderStates.Acknowledged or OrderStates.InProgress && o.SubmittedAt is not null))
        {
            var submitted = order.SubmittedAt ?? now;
            var completesAt = submitted + _timings.Acknowledged + _timings.InProgress;
            if (now >= completesAt)
            {
                Complete(order, completesAt);
                changed = true;
            }
            else if (order.State == OrderStates.Acknowledged && now >= submitted + _timings.Acknowledged)
            {
                SetState(order, OrderStates.InProgress);
                changed = true;
            }
        }

        if (changed)
        {
            Persist();
        }
    }

    /// <summary>Processes a submitted order's items against the inventory; it ends completed, failed or partial.</summary>
    private void Complete(OrderRecord order, DateTimeOffset at)
    {
        ApplyOrder(_state, order, at, atCreation: false);
        var all = Flatten(order.Items).ToList();
        order.State = all.All(i => i.State == OrderStates.Completed) ? OrderStates.Completed
            : all.All(i => i.State == OrderStates.Failed) ? OrderStates.Failed
            : OrderStates.Partial;
        order.CompletionDate = at;
        var failures = all.Where(i => i.ErrorMessage is not null && i.ErrorMessage != ParentFailed).Select(i => $"item {i.Id}: {i.ErrorMessage}").ToList();
        order.ErrorMessage = failures.Count > 0 ? string.Join("; ", failures) : null;
    }

    private static void SetState(OrderRecord order, string state)
    {
        order.State = state;
        foreach (var item in Flatten(order.Items))
        {
            item.State = state;
        }
    }

    private static IEnumerable<OrderItemRecord> Flatten(IEnumerable<OrderItemRecord> items) =>
        items.SelectMany(i => Flatten(i.Items).Prepend(i));

    private static OrderItemRecord ParseItem(JsonNode? node, string path, string? parentOffering, List<string> errors)
    {
        var product = JsonRead.Walk(node, "product");
        var item = new OrderItemRecord
        {
            Id = JsonRead.String(node, "id") ?? "",
            Action = JsonRead.String(node, "action") ?? "",
            ProductOfferingId = JsonRead.String(node, "productOffering", "id") ?? "",
            ProductId = JsonRead.String(product, "id"),
            QualificationId = JsonRead.Array(node, "qualification").Select(q => JsonRead.String(q, "id")).FirstOrDefault(q => q is not null),
            NadKey = JsonRead.Array(product, "place").Select(p => JsonRead.String(p, "id")).FirstOrDefault(p => p is not null),
            Characteristics = JsonRead.Characteristics(product),
        };
        if (item.Id.Length == 0)
        {
            errors.Add($"{path}.id is required");
        }

        if (!Actions.Contains(item.Action, StringComparer.Ordinal))
        {
            errors.Add($"{path}.action must be one of add, modify, delete, noChange");
        }

        if (!AllowedChildren.ContainsKey(item.ProductOfferingId))
        {
            errors.Add($"{path}.productOffering.id '{item.ProductOfferingId}' is not a WHC product offering");
        }
        // An unknown parent has its own error already; its children are not checked against it.
        else if (parentOffering is not null && AllowedChildren.TryGetValue(parentOffering, out var allowed) && !allowed.Contains(item.ProductOfferingId, StringComparer.Ordinal))
        {
            errors.Add($"{path}: a {item.ProductOfferingId} cannot be placed under a {parentOffering}");
        }

        if (item.Action is Modify or Delete or NoChange && string.IsNullOrEmpty(item.ProductId))
        {
            errors.Add($"{path}.product.id (the service id) is required for action '{item.Action}'");
        }

        var children = JsonRead.Array(node, "productOrderItem");
        item.Items = children.Select((child, i) => ParseItem(child, $"{path}.productOrderItem[{i}]", item.ProductOfferingId, errors)).ToList();
        return item;
    }
}
